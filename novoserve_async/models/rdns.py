"""Models of the reverse DNS area."""

from __future__ import annotations

import attrs

__all__ = ["RdnsEntry"]


@attrs.frozen
class RdnsEntry:
    """The reverse DNS of one interface address of a server.

    Attributes:
        interface_name: The interface, e.g. ``"OS"``.
        interface_ip: Its address, as text.
        parent_netmask: The prefix length of its network.
        vlan: The VLAN id.
        vlan_description: The VLAN's description.
        rdns: The reverse DNS name, or ``None`` when none is set.
    """

    interface_name: str
    interface_ip: str
    parent_netmask: int | None = None
    vlan: int | None = None
    vlan_description: str | None = None
    rdns: str | None = None
