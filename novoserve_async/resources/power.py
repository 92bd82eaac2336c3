"""``ns.power``: power state and power actions."""

from __future__ import annotations

from typing import Any

from .. import _endpoints as api
from ._base import APIResource

__all__ = ["Power"]


class Power(APIResource):
    """Power state of servers, and power actions (each sent at most once)."""

    __slots__ = ()

    async def status(self, tag: str) -> Any:
        """The power state of a server (``GET /powerstate/{tag}``), as decoded JSON."""
        return await self._call(api.POWER_STATUS, tag)

    async def on(self, tag: str) -> Any:
        """Power a server on (``POST /powerstate/{tag}``, action ``poweron``)."""
        return await self._action(tag, "poweron")

    async def off(self, tag: str) -> Any:
        """Power a server off (``POST /powerstate/{tag}``, action ``poweroff``)."""
        return await self._action(tag, "poweroff")

    async def reset(self, tag: str) -> Any:
        """Reset a server (``POST /powerstate/{tag}``, action ``reset``)."""
        return await self._action(tag, "reset")

    async def cold_boot(self, tag: str) -> Any:
        """Cold-boot a server (``POST /powerstate/{tag}``, action ``coldboot``)."""
        return await self._action(tag, "coldboot")

    async def _action(self, tag: str, action: str) -> Any:
        return await self._call(api.POWER_ACTION, tag, body={"action": action})
