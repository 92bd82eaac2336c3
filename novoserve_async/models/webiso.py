"""Models of the web-ISO area."""

from __future__ import annotations

import attrs

__all__ = ["WebIso"]


@attrs.frozen
class WebIso:
    """An ISO image that can be mounted on a server's virtual media.

    Attributes:
        name: The file name, e.g. ``"CR-CentOS-7.iso"``.
        url: Where the image is served from.
    """

    name: str
    url: str
