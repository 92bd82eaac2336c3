"""Exceptions raised by novoserve-async.

The tree::

    NovoServeError
    ├── APIConnectionError          network failure, no HTTP response
    │   └── APITimeoutError         the attempt ran out of time
    ├── APIStatusError              an HTTP error status, or an error envelope
    │   ├── BadRequestError          400
    │   ├── AuthenticationError      401
    │   ├── PermissionDeniedError    403
    │   ├── NotFoundError            404
    │   ├── RateLimitError           429
    │   └── InternalServerError      >= 500
    └── ResponseValidationError     a 2xx body without the documented shape

Every exception keeps what the server said (``.body``) so that nothing is lost, and none
of them ever holds the API secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "InternalServerError",
    "NotFoundError",
    "NovoServeError",
    "PermissionDeniedError",
    "RateLimitError",
    "Response",
    "ResponseValidationError",
]


@attrs.frozen(repr=False)
class Response:
    """A snapshot of one HTTP response, independent of the HTTP backend that received it.

    Attributes:
        status_code: The HTTP status code.
        headers: The response headers; look-ups are case-insensitive.
        content: The raw body.
        method: The request method.
        url: The request URL (it never carries credentials).
    """

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    method: str
    url: str

    @property
    def text(self) -> str:
        """The body decoded as UTF-8, with undecodable bytes replaced."""
        return self.content.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}] {self.method} {self.url}>"


class NovoServeError(Exception):
    """Base class of every error raised by novoserve-async."""


class APIConnectionError(NovoServeError):
    """The request failed without an HTTP response: DNS, connect, reset or protocol failure.

    Attributes:
        method: The request method.
        url: The request URL.
        tag: The server tag the call was for, if any.
        request_sent: ``False`` when the request provably never reached the server, so that
            repeating it is safe even for a POST.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str = "",
        url: str = "",
        tag: str | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.tag = tag
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """An attempt did not complete within the client's ``timeout``."""


class APIStatusError(NovoServeError):
    """The API answered with an error status, or with an error envelope.

    Attributes:
        status_code: The HTTP status code.
        response: The response snapshot.
        body: The decoded JSON body, or its text when it is not JSON.
        message: A human-readable description, including the API's own message.
        tag: The server tag the call was for, if any.
    """

    def __init__(
        self, message: str, *, response: Response, body: object, tag: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.response = response
        self.body = body
        self.tag = tag

    @property
    def status_code(self) -> int:
        """The HTTP status code of the response."""
        return self.response.status_code


class BadRequestError(APIStatusError):
    """HTTP 400: the API rejected the request."""


class AuthenticationError(APIStatusError):
    """HTTP 401: bad API key or secret, or a source IP the key is not bound to."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key is not allowed to act on this server tag."""


class NotFoundError(APIStatusError):
    """HTTP 404: no such server tag or resource."""


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests.

    Attributes:
        retry_after: The wait the server asked for, in seconds, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        response: Response,
        body: object,
        tag: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body, tag=tag)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """HTTP 5xx: the API failed."""


class ResponseValidationError(NovoServeError):
    """A successful response whose body is not JSON or not of the documented shape.

    Attributes:
        body: The decoded body (or its text when it is not JSON).
        response: The response snapshot, when there was one.
        tag: The server tag the call was for, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        body: object,
        response: Response | None = None,
        tag: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.body = body
        self.response = response
        self.tag = tag


_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status code (2xx error envelopes give the base class)."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def _describe(body: Any) -> str:
    """A short text for an exception message, from a decoded error body."""
    text = body if isinstance(body, str) else repr(body)
    return text if len(text) <= 300 else text[:300] + "..."
