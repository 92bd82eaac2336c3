"""``ns.os_installs``: operating system images and installs."""

from __future__ import annotations

import builtins
from typing import Any

from .. import _endpoints as api
from ..models import OsImage
from ._base import APIResource

__all__ = ["OsInstalls"]


class OsInstalls(APIResource):
    """Operating systems that can be installed, and installing them."""

    __slots__ = ()

    async def list(self, tag: str) -> builtins.list[OsImage]:
        """The OS images available for a server, in the API's order (``GET /os-install/{tag}``)."""
        return await self._call(api.OS_LIST, tag)

    async def install(self, tag: str, os: str | OsImage) -> Any:
        """Install an OS on a server, wiping it (``POST /os-install/{tag}``).

        The request is sent at most once: it is retried only when it provably never
        reached the API (a failed connect, or a 429).

        Args:
            tag: The server tag.
            os: An image id from :meth:`list`, or the :class:`OsImage` itself.

        Returns:
            The decoded response.
        """
        image_id = os.id if isinstance(os, OsImage) else os
        if not isinstance(image_id, str) or not image_id.strip():
            raise ValueError(f"os must be an image id or an OsImage, not {os!r}")
        return await self._call(api.OS_INSTALL, tag, body={"os": image_id})
