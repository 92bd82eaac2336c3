"""``ns.rdns``: reverse DNS."""

from __future__ import annotations

import builtins
from typing import Any

from .. import _endpoints as api
from .._validation import check_hostname, check_ip
from ..models import RdnsEntry
from ._base import APIResource

__all__ = ["Rdns"]


class Rdns(APIResource):
    """Reverse DNS of a server's addresses."""

    __slots__ = ()

    async def list(self, tag: str) -> builtins.list[RdnsEntry]:
        """The reverse DNS of each interface address (``GET /rdns/{tag}``)."""
        return await self._call(api.RDNS_LIST, tag)

    async def set(self, tag: str, ip: str, rdns: str) -> Any:
        """Set the reverse DNS name of an address (``POST /rdns/{tag}``), sent at most once.

        Args:
            tag: The server tag.
            ip: One of the server's IPv4 or IPv6 addresses.
            rdns: The host name it should resolve to.
        """
        body = {"ip": check_ip(ip), "rdns": check_hostname(rdns)}
        return await self._call(api.RDNS_SET, tag, body=body)
