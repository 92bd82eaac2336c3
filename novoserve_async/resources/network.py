"""``ns.network``: network settings."""

from __future__ import annotations

from .. import _endpoints as api
from ..models import NetworkInfo
from ._base import APIResource

__all__ = ["Network"]


class Network(APIResource):
    """Network settings of servers."""

    __slots__ = ()

    async def info(self, tag: str) -> NetworkInfo:
        """Address, subnet mask and gateway of a server (``GET /network-info/{tag}``)."""
        return await self._call(api.NETWORK_INFO, tag)
