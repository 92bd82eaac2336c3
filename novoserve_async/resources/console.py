"""``ns.console``: remote console access."""

from __future__ import annotations

from typing import Any

from .. import _endpoints as api
from .._validation import check_ip
from ._base import APIResource

__all__ = ["Console"]


class Console(APIResource):
    """Remote console of servers."""

    __slots__ = ()

    async def url(self, tag: str, remote_ip: str) -> Any:
        """A console URL that ``remote_ip`` may open (``POST /console-url/{tag}``).

        Sent at most once. ``remote_ip`` is checked as an IPv4 or IPv6 address first.
        """
        body = {"remoteIp": check_ip(remote_ip, name="remote_ip")}
        return await self._call(api.CONSOLE_URL, tag, body=body)
