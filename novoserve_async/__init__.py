"""novoserve-async: an asyncio-native client for the NovoServe dedicated-server API.

Example::

    import asyncio
    from novoserve_async import NovoServe

    async def main() -> None:
        async with NovoServe() as ns:  # credentials from NOVOSERVE_API_KEY / _SECRET
            server = await ns.servers.get("123-123")
            print(server.location.data_center)

    asyncio.run(main())
"""

from ._client import DEFAULT_BASE_URL, NovoServe
from ._clock import Clock, FakeClock, SystemClock
from ._ratelimit import RateLimiter, TokenBucket
from ._retry import RetryPolicy
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    NovoServeError,
    PermissionDeniedError,
    RateLimitError,
    Response,
    ResponseValidationError,
)
from .fleet import (
    CHECK_NAMES,
    DEFAULT_CHECKS,
    Check,
    CheckError,
    Fleet,
    FleetScan,
    FleetSummary,
    ScanProgress,
    ScanResult,
)
from .models import (
    Bandwidth,
    ClientState,
    HardwareHealth,
    HealthIssue,
    IloHealth,
    IloResource,
    Location,
    NetworkInfo,
    OsImage,
    RdnsEntry,
    Server,
    Severity,
    Traffic,
    UidState,
    WebIso,
    to_json_data,
)

__all__ = [
    "CHECK_NAMES",
    "DEFAULT_BASE_URL",
    "DEFAULT_CHECKS",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Bandwidth",
    "Check",
    "CheckError",
    "ClientState",
    "Clock",
    "FakeClock",
    "Fleet",
    "FleetScan",
    "FleetSummary",
    "HardwareHealth",
    "HealthIssue",
    "IloHealth",
    "IloResource",
    "InternalServerError",
    "Location",
    "NetworkInfo",
    "NotFoundError",
    "NovoServe",
    "NovoServeError",
    "OsImage",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RdnsEntry",
    "Response",
    "ResponseValidationError",
    "RetryPolicy",
    "ScanProgress",
    "ScanResult",
    "Server",
    "Severity",
    "SystemClock",
    "TokenBucket",
    "Traffic",
    "UidState",
    "WebIso",
    "__version__",
    "to_json_data",
]
