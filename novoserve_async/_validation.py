"""Checks of user input, run before anything is sent. Each raises ``ValueError``."""

from __future__ import annotations

import datetime
import ipaddress
import re
from typing import Any

from .models.ilo import IloResource

__all__ = [
    "check_hostname",
    "check_ilo_resource",
    "check_ip",
    "check_period",
    "check_tag",
    "check_whole_number",
    "unix_seconds",
]

_TAG = re.compile(r"[A-Za-z0-9_-]+")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def check_tag(tag: Any) -> str:
    """``tag`` if it is one path segment of letters, digits, ``-`` and ``_``."""
    if not isinstance(tag, str):
        raise ValueError(f"a server tag must be a string like '123-123', not {type(tag).__name__}")
    if not _TAG.fullmatch(tag):
        raise ValueError(
            f"invalid server tag {tag!r}: a tag is letters, digits, '-' and '_' only, "
            "like '123-123'"
        )
    return tag


def check_ip(value: Any, *, name: str = "ip") -> str:
    """The text form of an IPv4 or IPv6 address."""
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an IP address, not {type(value).__name__}")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a valid IPv4 or IPv6 address") from None


def check_hostname(value: Any, *, name: str = "rdns") -> str:
    """``value`` if it is a valid DNS host name (a trailing dot is allowed)."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a host name, not {type(value).__name__}")
    host = value[:-1] if value.endswith(".") else value
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"{name} {value!r} is not a valid host name")
    return value


def check_ilo_resource(value: Any) -> IloResource:
    """The :class:`IloResource` for ``value`` (a member or its path value)."""
    try:
        return IloResource(value)
    except ValueError:
        choices = ", ".join(resource.value for resource in IloResource)
        raise ValueError(f"unknown ILO resource {value!r}; expected one of: {choices}") from None


def check_whole_number(value: Any, *, name: str, minimum: int, unit: str = "") -> int:
    """``value`` if it is an ``int`` (not a ``bool``) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        what = f"a whole number{unit} >= {minimum}"
        raise ValueError(f"{name} must be {what}, not {value!r}")
    return value


def check_period(value: Any) -> int:
    """``value`` if it is a positive whole number of days."""
    return check_whole_number(value, name="period", minimum=1, unit=" of days")


def unix_seconds(value: Any, *, name: str) -> int:
    """Integer Unix seconds from a ``datetime`` (naive means UTC) or a number."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a datetime or Unix seconds, not {value!r}")
    return int(value)
