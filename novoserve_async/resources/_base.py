"""The base of every resource class: one call = one endpoint row through the transport."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .._endpoints import Endpoint
from .._transport import _NO_BODY, Transport
from .._validation import check_tag

__all__ = ["APIResource"]

T = TypeVar("T")


class APIResource:
    """One area of the API, bound to a client's transport."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def _call(
        self,
        endpoint: Endpoint[T],
        tag: str | None = None,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = _NO_BODY,
        **fields: str,
    ) -> T:
        """Check ``tag``, fill in the row's path and send it."""
        if "tag" in endpoint.path_fields:
            fields["tag"] = check_tag(tag)
        path = endpoint.path.format_map(fields) if fields else endpoint.path
        return await self._transport.request(
            endpoint.method,
            path,
            tag=tag,
            params=params,
            body=body,
            decode=endpoint.decode,
            accept_text=endpoint.accept_text,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
