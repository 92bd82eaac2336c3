"""``ns.servers``: the account's servers."""

from __future__ import annotations

import builtins

from .. import _endpoints as api
from ..models import Server
from ._base import APIResource

__all__ = ["Servers"]


class Servers(APIResource):
    """The servers of the account."""

    __slots__ = ()

    async def get(self, tag: str) -> Server:
        """Hardware profile and location of a server (``GET /servers/{tag}``)."""
        return await self._call(api.SERVERS_GET, tag)

    async def list(self) -> builtins.list[str]:
        """The tags of every server of the account (``GET /servers/``)."""
        return await self._call(api.SERVERS_LIST)
