"""Per-area resource classes: thin, uniform methods over the endpoint table."""

from ._base import APIResource
from .bandwidth import Bandwidth
from .client_state import ClientState
from .console import Console
from .health import Health
from .ilo import Ilo
from .network import Network
from .os_installs import OsInstalls
from .power import Power
from .rdns import Rdns
from .servers import Servers
from .webiso import WebIso

__all__ = [
    "APIResource",
    "Bandwidth",
    "ClientState",
    "Console",
    "Health",
    "Ilo",
    "Network",
    "OsInstalls",
    "Power",
    "Rdns",
    "Servers",
    "WebIso",
]
