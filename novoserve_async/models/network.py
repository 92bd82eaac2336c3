"""Models of the network area."""

from __future__ import annotations

import ipaddress

import attrs

__all__ = ["IPAddress", "NetworkInfo"]

#: An IPv4 or IPv6 address; ``str()`` gives its usual text form.
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@attrs.frozen
class NetworkInfo:
    """The primary network settings of a server.

    Attributes:
        ip: The server's address.
        subnet: The subnet mask, e.g. ``255.255.255.0``.
        gateway: The default gateway.
    """

    ip: IPAddress
    subnet: IPAddress
    gateway: IPAddress
