"""``ns.ilo``: the servers' iLO management controllers."""

from __future__ import annotations

from typing import Any

from .. import _endpoints as api
from .._validation import check_ilo_resource
from ..models import IloResource, UidState
from ._base import APIResource

__all__ = ["Ilo"]


class Ilo(APIResource):
    """The UID light and the control resources of a server's iLO."""

    __slots__ = ()

    async def uid(self, tag: str) -> UidState:
        """The state of the UID light (``GET /ilo-uid/{tag}``)."""
        return await self._call(api.ILO_UID, tag)

    async def control(self, tag: str, resource: IloResource | str) -> Any:
        """Read one iLO resource (``GET /ilo-controls/{resource}/{tag}``) as decoded JSON.

        Args:
            tag: The server tag.
            resource: An :class:`IloResource` or its value, e.g. ``"powerstate"``.
        """
        checked = check_ilo_resource(resource)
        return await self._call(api.ILO_CONTROL, tag, resource=checked.value)
