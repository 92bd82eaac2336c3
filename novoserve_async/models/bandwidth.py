"""Models of the bandwidth area."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import attrs

__all__ = ["Bandwidth", "Traffic"]


@attrs.frozen
class Traffic:
    """Traffic of one period, in the unit the API reports (not stated by the API).

    Attributes:
        inbound: Traffic into the server (wire name ``in``).
        outbound: Traffic out of the server (wire name ``out``).
        total: Both directions (wire name ``tot``).
    """

    inbound: float
    outbound: float
    total: float


@attrs.frozen
class Bandwidth:
    """Bandwidth usage of a server.

    Attributes:
        daily: Traffic per day (wire name ``data``), in date order.
        monthly: Traffic per month, keyed ``"YYYY-MM"``, in month order.
    """

    daily: Mapping[datetime.date, Traffic]
    monthly: Mapping[str, Traffic] = attrs.field(factory=dict)

    @property
    def total(self) -> float:
        """The total traffic over every day reported."""
        return sum(traffic.total for traffic in self.daily.values())
