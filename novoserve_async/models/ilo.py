"""Models of the ILO area: UID light, control resources and iLO health."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["IloHealth", "IloResource", "UidState"]


class UidState(str, enum.Enum):
    """The state of a server's unit identification (UID) light."""

    ON = "on"
    OFF = "off"
    BLINK = "blink"

    def __str__(self) -> str:
        return self.value


class IloResource(str, enum.Enum):
    """The ILO resources ``ilo.control`` can read."""

    FIRMWARE_VERSION = "firmware-version"
    GLOBAL_SETTINGS = "global-settings"
    HARDWARE_PROFILE = "hardware-profile"
    NETWORK_SETTINGS = "network-settings"
    PENDING_BOOT_MODE = "pending-boot-mode"
    POWER_PROFILE = "power-profile"
    POWERSTATE = "powerstate"
    PXE_ONCE = "pxe-once"
    SNMP_SETTINGS = "snmp-settings"
    TPM_STATUS = "tpm-status"

    def __str__(self) -> str:
        return self.value


def unwrap_values(node: Any) -> Any:
    """Replace every ``{"VALUE": x}`` leaf of an iLO document by ``x``, recursively."""
    if isinstance(node, Mapping):
        if len(node) == 1 and "VALUE" in node:
            return unwrap_values(node["VALUE"])
        return {key: unwrap_values(value) for key, value in node.items()}
    if isinstance(node, list):
        return [unwrap_values(item) for item in node]
    return node


def _as_list(node: Any) -> list[Any]:
    # iLO renders a single child as an object and several as a list.
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


@attrs.frozen
class IloHealth:
    """HP iLO "embedded health" data, kept whole.

    The document has upper-case sections (``FANS``, ``TEMPERATURE``, ``POWER_SUPPLIES``,
    ``HEALTH_AT_A_GLANCE``, ...) whose leaves are wrapped as ``{"VALUE": ...}``. The helpers
    return those sections with the wrappers removed.

    Attributes:
        document: The document as the API sent it.
    """

    document: Mapping[str, Any] = attrs.field(repr=False)

    def section(self, name: str) -> Any:
        """A section by name with ``{"VALUE": ...}`` leaves unwrapped, or ``None``."""
        return unwrap_values(self.document.get(name))

    @property
    def fans(self) -> list[dict[str, Any]]:
        """The fans: zone, label, status, speed, ..."""
        return _as_list((self.section("FANS") or {}).get("FAN"))

    @property
    def temperatures(self) -> list[dict[str, Any]]:
        """The temperature sensors: label, location, status, current reading, ..."""
        return _as_list((self.section("TEMPERATURE") or {}).get("TEMP"))

    @property
    def power_supplies(self) -> list[dict[str, Any]]:
        """The power supplies: label, present, status, ..."""
        return _as_list((self.section("POWER_SUPPLIES") or {}).get("SUPPLY"))

    @property
    def at_a_glance(self) -> dict[str, str]:
        """The status of each subsystem from ``HEALTH_AT_A_GLANCE``, e.g. ``{"FANS": "OK"}``."""
        glance = self.document.get("HEALTH_AT_A_GLANCE")
        if not isinstance(glance, Mapping):
            return {}
        statuses: dict[str, str] = {}
        for name, value in glance.items():
            for item in _as_list(value):
                if isinstance(item, Mapping) and "STATUS" in item:
                    status = unwrap_values(item["STATUS"])
                    statuses.setdefault(name, str(status))
        return statuses

    @property
    def degraded(self) -> dict[str, str]:
        """The subsystems of :attr:`at_a_glance` whose status is not ``"OK"``."""
        return {
            name: status
            for name, status in self.at_a_glance.items()
            if status.upper() not in ("OK", "NOT INSTALLED", "REDUNDANT")
        }
