"""Models of the hardware health area."""

from __future__ import annotations

import datetime
import enum

import attrs

__all__ = ["HardwareHealth", "HealthIssue", "Severity"]


class Severity(enum.IntEnum):
    """The severity of a hardware issue, as the monitoring system grades it."""

    NOT_CLASSIFIED = 0
    INFORMATION = 1
    WARNING = 2
    AVERAGE = 3
    HIGH = 4
    DISASTER = 5


@attrs.frozen
class HealthIssue:
    """One open hardware problem.

    Attributes:
        event_id: The monitoring event id.
        clock: When it was raised (aware, UTC), or ``None`` when unknown.
        name: What is wrong, e.g. ``"Fan 0.3: Fan is in warning state"``.
        severity: How bad it is (an ``int`` from 0 to 5).
    """

    event_id: str
    clock: datetime.datetime | None
    name: str
    severity: Severity


@attrs.frozen
class HardwareHealth:
    """The hardware health of a server.

    Attributes:
        issues: The open problems.
        description: The API's text summary of them.
    """

    issues: list[HealthIssue] = attrs.field(factory=list)
    description: str = ""

    @property
    def healthy(self) -> bool:
        """Whether no problem is open."""
        return not self.issues

    @property
    def worst_severity(self) -> Severity | None:
        """The highest severity among the issues, or ``None`` when there are none."""
        return max((issue.severity for issue in self.issues), default=None)
