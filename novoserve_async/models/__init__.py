"""The models of novoserve-async: frozen attrs classes, one module per API area."""

from ._converter import converter, to_json_data
from .bandwidth import Bandwidth, Traffic
from .client_state import ClientState
from .health import HardwareHealth, HealthIssue, Severity
from .ilo import IloHealth, IloResource, UidState, unwrap_values
from .network import IPAddress, NetworkInfo
from .os_installs import OsImage
from .rdns import RdnsEntry
from .servers import Location, Server
from .webiso import WebIso

__all__ = [
    "Bandwidth",
    "ClientState",
    "HardwareHealth",
    "HealthIssue",
    "IPAddress",
    "IloHealth",
    "IloResource",
    "Location",
    "NetworkInfo",
    "OsImage",
    "RdnsEntry",
    "Server",
    "Severity",
    "Traffic",
    "UidState",
    "WebIso",
    "converter",
    "to_json_data",
    "unwrap_values",
]
