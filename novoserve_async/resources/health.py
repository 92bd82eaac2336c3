"""``ns.health``: hardware and iLO health checks."""

from __future__ import annotations

from .. import _endpoints as api
from ..models import HardwareHealth, IloHealth
from ._base import APIResource

__all__ = ["Health"]


class Health(APIResource):
    """Health checks of a server."""

    __slots__ = ()

    async def hardware(self, tag: str) -> HardwareHealth:
        """Open hardware problems (``GET /health-check/hardware/{tag}``)."""
        return await self._call(api.HEALTH_HARDWARE, tag)

    async def ilo(self, tag: str) -> IloHealth:
        """The iLO's embedded health document (``GET /health-check/ilo/{tag}``)."""
        return await self._call(api.HEALTH_ILO, tag)
