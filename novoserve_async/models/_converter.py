"""The one cattrs converter: wire JSON in, models out, and models back to plain JSON data.

Every wire name of the API is mapped to its Python name here and nowhere else.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, override

from .bandwidth import Bandwidth, Traffic
from .client_state import ClientState
from .health import HardwareHealth, HealthIssue, Severity
from .ilo import IloHealth, UidState
from .network import IPAddress
from .os_installs import OsImage
from .rdns import RdnsEntry
from .servers import Location, Server

__all__ = ["converter", "decoder", "to_json_data"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=False)
"""The converter for every model of the SDK."""


# Strict scalars: cattrs' defaults call str()/int() on anything, which would turn a missing
# field's None into "None". The API sends numbers as strings now and then, so numeric text
# is accepted; nothing else is.
def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_float(value: Any, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(f"expected a number, got {type(value).__name__}")


def _unix_time(value: Any) -> datetime.datetime:
    seconds = _structure_float(value, float)
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def _structure_ip(value: Any, _: Any) -> IPAddress:
    if not isinstance(value, str):
        raise TypeError(f"expected an IP address string, got {type(value).__name__}")
    return ipaddress.ip_address(value.strip())


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(
    datetime.date, lambda value, _: datetime.date.fromisoformat(_structure_str(value, str))
)
converter.register_structure_hook_func(lambda tp: tp == IPAddress, _structure_ip)

converter.register_structure_hook(
    Location,
    make_dict_structure_fn(
        Location,
        converter,
        data_center=override(rename="dataCenter"),
        rack_id=override(rename="rackId"),
    ),
)
converter.register_structure_hook(
    Server,
    make_dict_structure_fn(Server, converter, hardware_profile=override(rename="hardwareProfile")),
)
converter.register_structure_hook(
    Traffic,
    make_dict_structure_fn(
        Traffic,
        converter,
        inbound=override(rename="in"),
        outbound=override(rename="out"),
        total=override(rename="tot"),
    ),
)


def _structure_bandwidth(value: Any, _: type) -> Bandwidth:
    daily = converter.structure(value["data"], dict[datetime.date, Traffic])
    monthly = converter.structure(value.get("monthly") or {}, dict[str, Traffic])
    return Bandwidth(daily=dict(sorted(daily.items())), monthly=dict(sorted(monthly.items())))


converter.register_structure_hook(Bandwidth, _structure_bandwidth)
converter.register_structure_hook(
    RdnsEntry,
    make_dict_structure_fn(
        RdnsEntry,
        converter,
        interface_name=override(rename="interfacename"),
        interface_ip=override(rename="interfaceip"),
        parent_netmask=override(rename="parentnetmask"),
        vlan_description=override(rename="vlandescription"),
    ),
)


def _decode_details(raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _structure_client_state(value: Any, _: type) -> ClientState:
    state = _structure_str(value["state"], str)
    human = value.get("ctime-human")
    return ClientState(
        id=_structure_str(value["id"], str),
        state=state,
        ctime=_unix_time(value["ctime"]),
        ctime_human=None if human is None else _structure_str(human, str),
        details=_decode_details(value.get(state)),
    )


converter.register_structure_hook(ClientState, _structure_client_state)


def _structure_health_issue(value: Any, _: type) -> HealthIssue:
    clock = _structure_float(value.get("clock", 0), float)
    return HealthIssue(
        event_id=_structure_str(value["eventid"], str),
        clock=None if clock == 0 else _unix_time(clock),
        name=_structure_str(value["name"], str),
        severity=Severity(_structure_int(value["severity"], int)),
    )


converter.register_structure_hook(HealthIssue, _structure_health_issue)
converter.register_structure_hook(HardwareHealth, make_dict_structure_fn(HardwareHealth, converter))


def _structure_ilo_health(value: Any, _: type) -> IloHealth:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected an iLO health object, got {type(value).__name__}")
    return IloHealth(document=value)


converter.register_structure_hook(IloHealth, _structure_ilo_health)


def _structure_uid(value: Any, _: type) -> UidState:
    if isinstance(value, Mapping) and len(value) == 1:
        (value,) = value.values()
    if not isinstance(value, str):
        raise TypeError(f"expected 'on', 'off' or 'blink', got {type(value).__name__}")
    return UidState(value.strip().strip('"').lower())


converter.register_structure_hook(UidState, _structure_uid)


def _structure_os_images(value: Any, _: type) -> list[OsImage]:
    # The API keys images by id; a plain list is accepted too.
    items = value.values() if isinstance(value, Mapping) else value
    if not isinstance(items, (list, type({}.values()))):
        raise TypeError(f"expected an object of OS images, got {type(value).__name__}")
    return [converter.structure(item, OsImage) for item in items]


converter.register_structure_hook_func(lambda tp: tp == list[OsImage], _structure_os_images)

_TAG_KEYS = ("id", "tag", "serverTag")


def _structure_tag(value: Any) -> str:
    if isinstance(value, Mapping):
        for key in _TAG_KEYS:
            if key in value:
                return _structure_str(value[key], str)
        raise KeyError(f"a server item carries no tag under any of {', '.join(_TAG_KEYS)}")
    return _structure_str(value, str)


def structure_server_tags(value: Any) -> list[str]:
    """The tags of ``GET /servers/``: items may be strings or objects carrying the tag."""
    if isinstance(value, Mapping):
        # Some renderings key the servers by tag.
        if all(isinstance(item, Mapping) for item in value.values()) and value:
            return [_structure_str(key, str) for key in value]
        raise TypeError("expected a list of servers")
    if not isinstance(value, list):
        raise TypeError(f"expected a list of servers, got {type(value).__name__}")
    return [_structure_tag(item) for item in value]


# Unstructuring, for JSON output: Python names, ISO dates, text addresses.
converter.register_unstructure_hook(datetime.date, lambda value: value.isoformat())
converter.register_unstructure_hook(datetime.datetime, lambda value: value.isoformat())
converter.register_unstructure_hook(ipaddress.IPv4Address, str)
converter.register_unstructure_hook(ipaddress.IPv6Address, str)
converter.register_unstructure_hook(IloHealth, lambda value: dict(value.document))


def _unstructure_bandwidth(value: Bandwidth) -> dict[str, Any]:
    return {
        "daily": {day.isoformat(): converter.unstructure(t) for day, t in value.daily.items()},
        "monthly": {month: converter.unstructure(t) for month, t in value.monthly.items()},
    }


converter.register_unstructure_hook(Bandwidth, _unstructure_bandwidth)


def decoder(tp: type[T]) -> Callable[[Any], T]:
    """A function that structures a decoded JSON payload as ``tp`` with :data:`converter`."""

    def decode(payload: Any) -> T:
        return converter.structure(payload, tp)

    decode.__qualname__ = f"decoder({getattr(tp, '__name__', tp)!s})"
    return decode


def to_json_data(value: Any) -> Any:
    """Plain JSON-ready data (dicts, lists, strings, numbers) for a model or a list of them."""
    return converter.unstructure(value)
