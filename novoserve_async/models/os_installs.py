"""Models of the OS installs area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["OsImage"]


@attrs.frozen
class OsImage:
    """An operating system image that can be installed on a server.

    Attributes:
        id: The image id to pass to ``os_installs.install``, e.g. ``"os-install-Ubuntu1804"``.
        name: The display name, e.g. ``"Ubuntu-18.04"``.
        profile: The provisioning (Cobbler) profile, kept as the API sent it.
    """

    id: str
    name: str
    profile: Mapping[str, Any] = attrs.field(factory=dict, repr=False)
