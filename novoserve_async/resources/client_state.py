"""``ns.client_state``: what state a server is in."""

from __future__ import annotations

from .. import _endpoints as api
from ..models import ClientState as ClientStateModel
from ._base import APIResource

__all__ = ["ClientState"]


class ClientState(APIResource):
    """Client states of servers (installing, attention needed, ...)."""

    __slots__ = ()

    async def get(self, tag: str) -> list[ClientStateModel]:
        """The states a server is in (``GET /client-state/{tag}``)."""
        return await self._call(api.CLIENT_STATE_GET, tag)
