"""The HTTP backends: the only code that speaks to an HTTP library.

The transport (``_transport.py``) owns every policy: admission, rate limits, retries,
deadlines, envelopes and errors. A backend only sends one request and reads the whole
response, and reports a failure as :class:`~novoserve_async.errors.APIConnectionError`
saying whether the request may have reached the server. A second backend (aiohttp, say)
implements :class:`HTTPBackend` beside :class:`HttpxBackend` and nothing else changes.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import httpx

from .errors import APIConnectionError, APITimeoutError, Response

__all__ = ["AttemptState", "BackendRequest", "HTTPBackend", "HttpxBackend"]


@attrs.frozen
class BackendRequest:
    """One HTTP request, ready to send.

    Attributes:
        method: The HTTP method.
        url: The absolute URL, without query string.
        params: Query parameters.
        headers: Headers of this request only, on top of the backend's own.
        content: The encoded body, if any.
        idempotent: Whether sending it twice is harmless.
    """

    method: str
    url: str
    params: Mapping[str, str] | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    content: bytes | None = None
    idempotent: bool = True


class AttemptState:
    """What a backend learned during one attempt, read by the transport when it fails.

    For a request whose sending is tracked (one that is not idempotent), the backend calls
    :meth:`observe` with the HTTP library's progress events. The request counts as not sent
    only while events are seen and none of them is the start of sending it: a backend or
    a mock transport that reports no events at all leaves it "maybe sent", the safe answer.
    """

    __slots__ = ("_headers_started", "_observed", "_tracking")

    def __init__(self, *, track_sending: bool) -> None:
        self._tracking = track_sending
        self._observed = False
        self._headers_started = False

    @property
    def tracking(self) -> bool:
        """Whether this attempt's sending is tracked."""
        return self._tracking

    def observe(self, *, sending: bool) -> None:
        """Record one progress event; ``sending`` when the request itself starts to go out."""
        self._observed = True
        if sending:
            self._headers_started = True

    @property
    def request_sent(self) -> bool:
        """Whether the server may have received (part of) the request."""
        return not self._tracking or not self._observed or self._headers_started


class HTTPBackend(Protocol):
    """The small interface the transport needs from an HTTP library."""

    async def send(self, request: BackendRequest, state: AttemptState) -> Response:
        """Send ``request`` and read the whole response.

        Raises:
            APIConnectionError: no HTTP response; ``request_sent`` says whether the
                server may have seen the request.
        """
        ...

    async def aclose(self) -> None:
        """Release the backend's connections (a borrowed client is left open)."""
        ...


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # httpx builds (and reads the CA bundle for) a new context per client, ~50 ms each;
    # httpx's own defaults, made once per process, serve every client alike.
    return httpx.create_ssl_context()


_SENDING_EVENTS = frozenset(
    {"http11.send_request_headers.started", "http2.send_request_headers.started"}
)


class HttpxBackend:
    """An :class:`HTTPBackend` on an :class:`httpx.AsyncClient`.

    Args:
        client: The client to send with.
        owned: Whether this backend made ``client``: it then carries ``headers`` and
            ``timeout`` as its defaults, and :meth:`aclose` closes it. A client the caller
            passed in is left as it is: both are given with every request, and it stays open.
        timeout: httpx's per-phase timeouts (connect, read, write, pool).
        headers: Headers for every request (credentials included; never logged or shown).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        owned: bool,
        timeout: httpx.Timeout,
        headers: Mapping[str, str],
    ) -> None:
        self._client = client
        self._owned = owned
        # Per request, only what the client does not already carry: httpx merges headers
        # and timeouts on every request, which costs CPU on the hot path.
        self._timeout: httpx.Timeout | None = None if owned else timeout
        self._headers: dict[str, str] | None = None if owned else dict(headers)

    @classmethod
    def create(
        cls, *, max_connections: int, timeout: httpx.Timeout, headers: Mapping[str, str]
    ) -> HttpxBackend:
        """A backend owning a new client whose pool holds ``max_connections``."""
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        client = httpx.AsyncClient(
            limits=limits,
            timeout=timeout,
            headers=headers,
            follow_redirects=False,
            verify=_default_ssl_context(),
        )
        return cls(client, owned=True, timeout=timeout, headers=headers)

    async def send(self, request: BackendRequest, state: AttemptState) -> Response:
        """Send ``request`` with httpx and read the whole body."""
        extensions: dict[str, Any] | None = None
        if state.tracking:

            async def trace(event_name: str, info: Mapping[str, Any]) -> None:
                state.observe(sending=event_name in _SENDING_EVENTS)

            extensions = {"trace": trace}
        headers = request.headers
        if self._headers is not None:
            headers = {**self._headers, **headers} if headers else self._headers
        http_request = self._client.build_request(
            request.method,
            request.url,
            params=request.params,
            headers=headers or None,
            content=request.content,
            timeout=self._timeout or httpx.USE_CLIENT_DEFAULT,
            extensions=extensions,
        )
        try:
            response = await self._client.send(http_request)
        except httpx.TransportError as exc:
            raise _connection_error(request, exc, state) from exc
        return Response(
            status_code=response.status_code,
            headers=response.headers,
            content=response.content,
            method=request.method,
            url=request.url,
        )

    async def aclose(self) -> None:
        """Close the client if this backend created it."""
        if self._owned:
            await self._client.aclose()


def _connection_error(
    request: BackendRequest, exc: httpx.TransportError, state: AttemptState
) -> APIConnectionError:
    # A failure to connect, or to get a connection from the pool, happens before any byte
    # of the request leaves: such a request is safe to repeat whatever its method.
    not_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
    sent = state.request_sent and not not_sent
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    detail = str(exc) or type(exc).__name__
    return kind(
        f"{request.method} {request.url} failed: {type(exc).__name__}: {detail}",
        method=request.method,
        url=request.url,
        request_sent=sent,
    )
