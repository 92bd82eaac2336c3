"""The transport: every policy between a resource method and the HTTP backend.

One :class:`Transport` per client. For each call it

1. waits for a slot of the admission limit (``max_concurrency``), so that gathering
   thousands of calls never queues inside the HTTP library's pool;
2. waits out any client-wide pause that a 429 started, then the optional rate limiter;
3. sends one attempt under a deadline that bounds it from connect to last byte;
4. retries what may be retried, with backoff and full jitter or the server's
   ``Retry-After``, releasing its slot while it waits;
5. unwraps the ``{"status": ..., "results": ...}`` envelope and maps failures to the
   exception tree of :mod:`novoserve_async.errors`.

Waiting for a slot or for the rate limiter never counts against the deadline.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import anyio
import cattrs

from ._backend import AttemptState, BackendRequest, HTTPBackend
from ._clock import Clock
from ._ratelimit import RateLimiter
from ._retry import RETRYABLE_STATUS_CODES, RetryPolicy, parse_retry_after
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    Response,
    ResponseValidationError,
    _describe,
    status_error_class,
)

__all__ = ["Transport"]

logger = logging.getLogger("novoserve_async")

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT"})
_NO_BODY = object()
_NO_HEADERS: Mapping[str, str] = {}
_JSON_HEADERS: Mapping[str, str] = {"Content-Type": "application/json"}
T = TypeVar("T")


def _identity(payload: Any) -> Any:
    return payload


def _explain(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc))
    return f"{type(exc).__name__}: {exc}"


class Transport:
    """Sends API requests with admission control, rate limits, retries and deadlines.

    Args:
        backend: The HTTP backend that performs the I/O.
        base_url: The API root, without a trailing slash.
        deadline: Seconds one attempt may take from connect to last byte, or ``None``.
        max_retries: Retries after the first attempt.
        max_concurrency: Requests in flight at once.
        rate_limiter: An optional client-side rate limiter.
        retry_policy: Backoff settings.
        clock: The time source for backoff, pauses and deadlines of waits.
        rand: A source of uniform random numbers in ``[0, 1)`` for jitter.
    """

    def __init__(
        self,
        backend: HTTPBackend,
        *,
        base_url: str,
        deadline: float | None,
        max_retries: int,
        max_concurrency: int,
        rate_limiter: RateLimiter | None,
        retry_policy: RetryPolicy,
        clock: Clock,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._backend = backend
        self._base_url = base_url
        self._deadline = deadline
        self._max_retries = max_retries
        self._max_concurrency = max_concurrency
        self._rate_limiter = rate_limiter
        self._retry_policy = retry_policy
        self._clock = clock
        self._rand = rand
        self._admission: anyio.Semaphore | None = None
        self._paused_until = float("-inf")

    async def aclose(self) -> None:
        """Close the backend."""
        await self._backend.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        tag: str | None = None,
        params: Mapping[str, str] | None = None,
        body: Any = _NO_BODY,
        decode: Callable[[Any], T] = _identity,
        accept_text: bool = False,
    ) -> T:
        """Send one API call and return its unwrapped payload, passed through ``decode``.

        Args:
            method: The HTTP method.
            path: The path below the base URL, starting with ``/``.
            tag: The server tag the call is for, carried on errors.
            params: Query parameters.
            body: A JSON-serialisable request body.
            decode: Turns the payload into the result; any exception it raises becomes a
                :class:`ResponseValidationError` carrying the body.
            accept_text: Pass a body that is not JSON to ``decode`` as stripped text instead
                of raising.
        """
        content = None
        headers = _NO_HEADERS
        if body is not _NO_BODY:
            content = json.dumps(body, separators=(",", ":")).encode()
            headers = _JSON_HEADERS
        request = BackendRequest(
            method=method,
            url=self._base_url + path,
            params=params,
            headers=headers,
            content=content,
            idempotent=method in _IDEMPOTENT_METHODS,
        )
        response = await self._send_with_retries(request, tag)
        payload = _decode_success(response, tag=tag, accept_text=accept_text)
        try:
            return decode(payload)
        except Exception as exc:
            raise ResponseValidationError(
                f"{method} {request.url} returned a body that is not of the documented shape: "
                f"{_explain(exc)}",
                body=payload,
                response=response,
                tag=tag,
            ) from exc

    async def _send_with_retries(self, request: BackendRequest, tag: str | None) -> Response:
        retries = 0
        while True:
            try:
                response = await self._attempt(request)
            except APIConnectionError as exc:
                exc.tag = tag
                if retries < self._max_retries and (request.idempotent or not exc.request_sent):
                    delay = self._retry_policy.backoff(retries, self._rand)
                    await self._sleep(request, delay, type(exc).__name__)
                    retries += 1
                    continue
                if not request.idempotent and exc.request_sent:
                    raise _outcome_unknown(exc, request) from exc
                raise
            status = response.status_code
            if 200 <= status < 300:
                return response
            retryable = status in RETRYABLE_STATUS_CODES and (request.idempotent or status == 429)
            retry_after = parse_retry_after(response.headers, self._clock.time())
            retrying = retryable and retries < self._max_retries
            # A wait beyond max_retry_after is not worth holding the caller: the error says
            # how long the server asked for.
            too_long = retry_after is not None and retry_after > self._retry_policy.max_retry_after
            if not too_long and (status == 429 or retrying):
                wait = retry_after
                if wait is None:
                    wait = self._retry_policy.backoff(retries, self._rand)
                if status == 429:
                    # The server limits the key, not this request: every call of the client
                    # waits, and this one is sent again once the pause is over, if retried.
                    self._pause(wait, request)
                if retrying:
                    if status != 429:
                        await self._sleep(request, wait, f"HTTP {status}")
                    retries += 1
                    continue
            raise _status_error(response, request, tag, retry_after=retry_after)

    async def _attempt(self, request: BackendRequest) -> Response:
        admission = self._admission
        if admission is None:
            # Made on first use, inside the event loop, so that it is native to it.
            admission = self._admission = anyio.Semaphore(self._max_concurrency, fast_acquire=True)
        async with admission:
            while (pause := self._paused_until - self._clock.monotonic()) > 0:
                await self._clock.sleep(pause)
            if self._rate_limiter is not None:
                await self._rate_limiter.acquire()
            state = AttemptState(track_sending=not request.idempotent)
            if self._deadline is None:
                return await self._backend.send(request, state)
            with anyio.CancelScope(deadline=anyio.current_time() + self._deadline):
                return await self._backend.send(request, state)
            # Only the deadline can cancel this scope: reaching here means it expired.
            raise APITimeoutError(
                f"{request.method} {request.url} timed out after {self._deadline:g} s",
                method=request.method,
                url=request.url,
                request_sent=state.request_sent,
            )

    def _pause(self, seconds: float, request: BackendRequest) -> None:
        until = self._clock.monotonic() + seconds
        if until > self._paused_until:
            self._paused_until = until
        logger.info(
            "HTTP 429 on %s %s: pausing the client for %.3f s", request.method, request.url, seconds
        )

    async def _sleep(self, request: BackendRequest, seconds: float, reason: str) -> None:
        logger.info(
            "Retrying %s %s in %.3f s after %s", request.method, request.url, seconds, reason
        )
        await self._clock.sleep(seconds)


def _decode_body(response: Response) -> tuple[Any, bool]:
    """The JSON body, or the text when it is not JSON; and whether it was JSON."""
    content = response.content
    if not content.strip():
        return None, True
    try:
        return json.loads(content), True
    except ValueError:
        return response.text, False


def _envelope(payload: Any) -> tuple[str, Any] | None:
    """``(status, results)`` when ``payload`` is a ``{"status", "results"}`` envelope."""
    if (
        type(payload) is dict
        and "results" in payload
        and payload.get("status") in ("success", "error")
    ):
        return payload["status"], payload["results"]
    return None


def _decode_success(response: Response, *, tag: str | None, accept_text: bool) -> Any:
    payload, is_json = _decode_body(response)
    if not is_json:
        if accept_text:
            return payload.strip()
        raise ResponseValidationError(
            f"{response.method} {response.url} returned HTTP {response.status_code} "
            f"with a body that is not JSON: {_describe(payload)}",
            body=payload,
            response=response,
            tag=tag,
        )
    envelope = _envelope(payload)
    if envelope is None:
        return payload
    status, results = envelope
    if status == "error":
        raise APIStatusError(
            f"{response.method} {response.url} returned an error envelope with HTTP "
            f"{response.status_code}: {_describe(results)}",
            response=response,
            body=payload,
            tag=tag,
        )
    return results


def _status_error(
    response: Response, request: BackendRequest, tag: str | None, *, retry_after: float | None
) -> APIStatusError:
    body, _ = _decode_body(response)
    envelope = _envelope(body)
    detail = envelope[1] if envelope is not None else body
    status = response.status_code
    message = f"{request.method} {request.url} returned HTTP {status}"
    if detail not in (None, ""):
        message += f": {_describe(detail)}"
    if not request.idempotent and status >= 500:
        message += (
            f" (the outcome of this {request.method} is unknown: the server may have acted"
            " on it, so it was not retried)"
        )
    cls = status_error_class(status)
    if cls is RateLimitError:
        return RateLimitError(
            message,
            response=response,
            body=body,
            tag=tag,
            retry_after=retry_after,
        )
    return cls(message, response=response, body=body, tag=tag)


def _outcome_unknown(exc: APIConnectionError, request: BackendRequest) -> APIConnectionError:
    message = (
        f"{exc.message} (the outcome of this {request.method} is unknown: the request may have"
        " reached the server, so it was not retried)"
    )
    return type(exc)(
        message, method=exc.method, url=exc.url, tag=exc.tag, request_sent=exc.request_sent
    )
