"""The :class:`NovoServe` client."""

from __future__ import annotations

import base64
import ipaddress
import math
import os
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from ._backend import HTTPBackend, HttpxBackend
from ._clock import Clock, SystemClock
from ._ratelimit import RateLimiter, TokenBucket
from ._retry import RetryPolicy
from ._transport import Transport
from ._validation import check_whole_number
from ._version import __version__
from .errors import NovoServeError
from .resources import (
    Bandwidth,
    ClientState,
    Console,
    Health,
    Ilo,
    Network,
    OsInstalls,
    Power,
    Rdns,
    Servers,
    WebIso,
)

if TYPE_CHECKING:
    from .fleet import Fleet

__all__ = ["DEFAULT_BASE_URL", "NovoServe"]

DEFAULT_BASE_URL = "https://api.novoserve.com"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})


def _check_base_url(url: str) -> str:
    """``url`` without a trailing slash, if it is HTTPS or plain HTTP to a loopback host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host or parts.query or parts.fragment:
        raise ValueError(f"base_url must be an absolute URL like {DEFAULT_BASE_URL!r}, not {url!r}")
    if parts.username or parts.password:
        raise ValueError("base_url must not carry credentials; pass api_key and api_secret")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ValueError(
            f"base_url {url!r} is plain http: credentials would travel in clear text. Use "
            "https://, or http:// only to a loopback host (127.0.0.0/8, ::1, localhost)"
        )
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"base_url must use https://, not {parts.scheme!r}")
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credential(value: str | None, env: str, name: str) -> str:
    value = os.environ.get(env) if value is None else value
    if not value:
        raise NovoServeError(
            f"No NovoServe {name} given: pass {name}=... to NovoServe() or set the "
            f"{env} environment variable (both api_key and api_secret are needed)"
        )
    return value


class NovoServe:
    """An async client for the NovoServe dedicated-server API.

    Use it as an async context manager, or call :meth:`aclose` when done::

        async with NovoServe() as ns:
            server = await ns.servers.get("123-123")

    Args:
        api_key: The API key; default: the ``NOVOSERVE_API_KEY`` environment variable.
        api_secret: The API secret; default: ``NOVOSERVE_API_SECRET``.
        base_url: The API root; default: ``NOVOSERVE_BASE_URL``, else
            ``https://api.novoserve.com``. Must be ``https://`` except to loopback hosts.
        timeout: Seconds one attempt may take, from connect to the last byte of the body
            (a float), or an :class:`httpx.Timeout` for httpx's per-phase timeouts
            instead. Waiting for a free slot or for the rate limit does not count.
        max_retries: Retries after the first attempt.
        max_concurrency: Requests in flight at once; also sizes the connection pool.
        rate_limit: Requests per second to stay under (a token bucket), or a
            :class:`RateLimiter` of your own; ``None`` for no client-side limit.
        http_client: An :class:`httpx.AsyncClient` to send with. The caller keeps
            ownership: :meth:`aclose` leaves it open.
        retry_policy: Backoff settings; see :class:`RetryPolicy`.
        clock: The time source for backoff, pauses and the rate limiter (tests pass a
            :class:`~novoserve_async.testing.FakeClock`).

    Raises:
        NovoServeError: credentials are missing.
        ValueError: an argument is invalid, or ``base_url`` is plain HTTP to a remote host.
    """

    def __init__(
        self,
        api_key: str | None = None,
        api_secret: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 3,
        max_concurrency: int = 64,
        rate_limit: float | RateLimiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Clock | None = None,
    ) -> None:
        key = _credential(api_key, "NOVOSERVE_API_KEY", "api_key")
        secret = _credential(api_secret, "NOVOSERVE_API_SECRET", "api_secret")
        self.base_url = _check_base_url(
            base_url or os.environ.get("NOVOSERVE_BASE_URL") or DEFAULT_BASE_URL
        )
        check_whole_number(max_retries, name="max_retries", minimum=0)
        check_whole_number(max_concurrency, name="max_concurrency", minimum=1)
        self.max_retries = max_retries
        self.max_concurrency = max_concurrency
        self._clock = clock or SystemClock()

        deadline: float | None
        if isinstance(timeout, httpx.Timeout):
            deadline, phase_timeout = None, timeout
        elif timeout is None:
            deadline, phase_timeout = None, httpx.Timeout(None)
        else:
            if isinstance(timeout, bool) or not (timeout > 0 and math.isfinite(timeout)):
                raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
            deadline, phase_timeout = float(timeout), httpx.Timeout(float(timeout))
        self.timeout = timeout

        limiter: RateLimiter | None
        if rate_limit is None or isinstance(rate_limit, RateLimiter):
            limiter = rate_limit
        else:
            limiter = TokenBucket(rate_limit, clock=self._clock)

        token = base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")
        headers = {
            "Authorization": f"Basic {token}",
            "Accept": "application/json",
            "User-Agent": f"novoserve-async/{__version__}",
        }
        backend: HTTPBackend
        if http_client is None:
            backend = HttpxBackend.create(
                max_connections=max_concurrency, timeout=phase_timeout, headers=headers
            )
        else:
            backend = HttpxBackend(http_client, owned=False, timeout=phase_timeout, headers=headers)
        self._transport = Transport(
            backend,
            base_url=self.base_url,
            deadline=deadline,
            max_retries=max_retries,
            max_concurrency=max_concurrency,
            rate_limiter=limiter,
            retry_policy=retry_policy or RetryPolicy(),
            clock=self._clock,
        )
        self._closed = False

        self.servers = Servers(self._transport)
        """Server information and the account's tags."""
        self.bandwidth = Bandwidth(self._transport)
        """Bandwidth usage."""
        self.os_installs = OsInstalls(self._transport)
        """OS images and installs."""
        self.webiso = WebIso(self._transport)
        """ISO images and virtual media."""
        self.rdns = Rdns(self._transport)
        """Reverse DNS."""
        self.client_state = ClientState(self._transport)
        """Client states."""
        self.ilo = Ilo(self._transport)
        """The iLO: UID light and control resources."""
        self.health = Health(self._transport)
        """Hardware and iLO health."""
        self.network = Network(self._transport)
        """Network settings."""
        self.power = Power(self._transport)
        """Power state and actions."""
        self.console = Console(self._transport)
        """Remote console URLs."""

    @property
    def fleet(self) -> Fleet:
        """Scans over many servers at once; see :class:`~novoserve_async.fleet.Fleet`."""
        from .fleet import Fleet

        return Fleet(self)

    async def aclose(self) -> None:
        """Close the connections this client opened (a passed-in ``http_client`` stays open)."""
        if not self._closed:
            self._closed = True
            await self._transport.aclose()

    async def __aenter__(self) -> NovoServe:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"NovoServe(base_url={self.base_url!r})"
