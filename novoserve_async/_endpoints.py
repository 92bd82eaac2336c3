"""The API, one declarative row per call.

Each row names the HTTP method, the path template and how to decode the payload. The
resource classes in :mod:`novoserve_async.resources` are thin methods over these rows, and
the transport sends whatever a row describes: adding an endpoint is one row, one model and
a few-line method.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import attrs

from .models import (
    Bandwidth,
    ClientState,
    HardwareHealth,
    IloHealth,
    NetworkInfo,
    OsImage,
    RdnsEntry,
    Server,
    UidState,
    WebIso,
)
from .models._converter import decoder, structure_server_tags

__all__ = ["ENDPOINTS", "Endpoint"]

T = TypeVar("T")


def _json(payload: Any) -> Any:
    """Free-form JSON: returned as decoded."""
    return payload


@attrs.frozen
class Endpoint(Generic[T]):
    """One API call.

    Attributes:
        name: The SDK's name for it, ``"area.method"``.
        method: The HTTP method.
        path: The path template; ``{tag}`` and other fields are filled in by the resource.
        decode: Turns the unwrapped JSON payload into the result.
        accept_text: The API may answer with a bare text value instead of JSON.
    """

    name: str
    method: str
    path: str
    decode: Callable[[Any], T] = attrs.field(eq=False, repr=False)
    accept_text: bool = False
    path_fields: tuple[str, ...] = attrs.field(init=False)

    @path_fields.default
    def _path_fields(self) -> tuple[str, ...]:
        return tuple(f for _, f, _, _ in string.Formatter().parse(self.path) if f)

    @property
    def route(self) -> str:
        """``"METHOD /path/{template}"``, e.g. ``"GET /servers/{tag}"``."""
        return f"{self.method} {self.path}"


SERVERS_LIST = Endpoint("servers.list", "GET", "/servers/", structure_server_tags)
SERVERS_GET = Endpoint("servers.get", "GET", "/servers/{tag}", decoder(Server))
BANDWIDTH_GET = Endpoint("bandwidth.get", "GET", "/bandwidth/{tag}", decoder(Bandwidth))
OS_LIST = Endpoint("os_installs.list", "GET", "/os-install/{tag}", decoder(list[OsImage]))
OS_INSTALL = Endpoint("os_installs.install", "POST", "/os-install/{tag}", _json)
WEBISO_LIST = Endpoint("webiso.list", "GET", "/webiso-installs/{tag}", decoder(list[WebIso]))
WEBISO_OPTIONS = Endpoint("webiso.options", "GET", "/webiso-installs/", decoder(list[WebIso]))
WEBISO_MOUNT = Endpoint("webiso.mount", "POST", "/webiso-installs/{tag}", _json)
WEBISO_UNMOUNT = Endpoint("webiso.unmount", "DELETE", "/webiso-installs/{tag}", _json)
RDNS_LIST = Endpoint("rdns.list", "GET", "/rdns/{tag}", decoder(list[RdnsEntry]))
RDNS_SET = Endpoint("rdns.set", "POST", "/rdns/{tag}", _json)
CLIENT_STATE_GET = Endpoint(
    "client_state.get", "GET", "/client-state/{tag}", decoder(list[ClientState])
)
ILO_UID = Endpoint("ilo.uid", "GET", "/ilo-uid/{tag}", decoder(UidState), accept_text=True)
ILO_CONTROL = Endpoint("ilo.control", "GET", "/ilo-controls/{resource}/{tag}", _json)
HEALTH_HARDWARE = Endpoint(
    "health.hardware", "GET", "/health-check/hardware/{tag}", decoder(HardwareHealth)
)
HEALTH_ILO = Endpoint("health.ilo", "GET", "/health-check/ilo/{tag}", decoder(IloHealth))
NETWORK_INFO = Endpoint("network.info", "GET", "/network-info/{tag}", decoder(NetworkInfo))
POWER_STATUS = Endpoint("power.status", "GET", "/powerstate/{tag}", _json)
POWER_ACTION = Endpoint("power.action", "POST", "/powerstate/{tag}", _json)
CONSOLE_URL = Endpoint("console.url", "POST", "/console-url/{tag}", _json)

#: Every row, for tools that walk the API (tests, the simulator's route check, docs).
ENDPOINTS: tuple[Endpoint[Any], ...] = (
    SERVERS_LIST,
    SERVERS_GET,
    BANDWIDTH_GET,
    OS_LIST,
    OS_INSTALL,
    WEBISO_LIST,
    WEBISO_OPTIONS,
    WEBISO_MOUNT,
    WEBISO_UNMOUNT,
    RDNS_LIST,
    RDNS_SET,
    CLIENT_STATE_GET,
    ILO_UID,
    ILO_CONTROL,
    HEALTH_HARDWARE,
    HEALTH_ILO,
    NETWORK_INFO,
    POWER_STATUS,
    POWER_ACTION,
    CONSOLE_URL,
)
