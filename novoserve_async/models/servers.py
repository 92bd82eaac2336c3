"""Models of the servers area."""

from __future__ import annotations

import attrs

__all__ = ["Location", "Server"]


@attrs.frozen
class Location:
    """Where a server stands.

    Attributes:
        data_center: The data center, e.g. ``"Delft (TDCG)"``.
        rack: The rack's name, e.g. ``"2.C Row F 10"``.
        unit: The rack unit the server is mounted at.
        rack_id: The rack's numeric id.
    """

    data_center: str
    rack: str
    unit: int | None = None
    rack_id: int | None = None


@attrs.frozen
class Server:
    """A dedicated server, as ``GET /servers/{tag}`` describes it.

    Attributes:
        hardware_profile: The hardware profile id, e.g. ``"123-123"``.
        location: Where the server stands.
    """

    hardware_profile: str
    location: Location
