"""``ns.webiso``: ISO images for a server's virtual media."""

from __future__ import annotations

import builtins
from typing import Any
from urllib.parse import urlsplit

from .. import _endpoints as api
from ..models import WebIso as WebIsoModel
from ._base import APIResource

__all__ = ["WebIso"]


class WebIso(APIResource):
    """ISO images: what is on offer, and mounting them on a server."""

    __slots__ = ()

    async def list(self, tag: str) -> builtins.list[WebIsoModel]:
        """The ISO images available for a server (``GET /webiso-installs/{tag}``)."""
        return await self._call(api.WEBISO_LIST, tag)

    async def options(self) -> builtins.list[WebIsoModel]:
        """Every ISO image on offer (``GET /webiso-installs/``)."""
        return await self._call(api.WEBISO_OPTIONS)

    async def mount(self, tag: str, url: str | WebIsoModel) -> Any:
        """Mount an ISO image on a server (``POST /webiso-installs/{tag}``), sent at most once.

        Args:
            tag: The server tag.
            url: The image's URL, or a :class:`~novoserve_async.models.WebIso`.
        """
        iso_url = url.url if isinstance(url, WebIsoModel) else url
        if not isinstance(iso_url, str) or urlsplit(iso_url).scheme not in ("http", "https"):
            raise ValueError(f"url must be an http(s) URL of an ISO image, not {url!r}")
        return await self._call(api.WEBISO_MOUNT, tag, body={"url": iso_url})

    async def unmount(self, tag: str) -> Any:
        """Unmount the ISO image of a server (``DELETE /webiso-installs/{tag}``; idempotent)."""
        return await self._call(api.WEBISO_UNMOUNT, tag)
