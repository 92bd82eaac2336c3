"""``ns.bandwidth``: traffic usage."""

from __future__ import annotations

import datetime

from .. import _endpoints as api
from .._validation import check_period, unix_seconds
from ..models import Bandwidth as BandwidthModel
from ._base import APIResource

__all__ = ["Bandwidth"]


class Bandwidth(APIResource):
    """Bandwidth usage of servers."""

    __slots__ = ()

    async def get(
        self,
        tag: str,
        *,
        period: int | None = None,
        start: datetime.datetime | float | None = None,
        end: datetime.datetime | float | None = None,
    ) -> BandwidthModel:
        """Daily and monthly traffic of a server (``GET /bandwidth/{tag}``).

        Args:
            tag: The server tag.
            period: Number of days to fetch (the API's default is 35).
            start: Start of the period: a ``datetime`` (naive means UTC) or Unix seconds.
            end: End of the period, likewise.

        Only the parameters given are sent; ``start`` and ``end`` go as integer Unix seconds.
        """
        params: dict[str, str] = {}
        if period is not None:
            params["period"] = str(check_period(period))
        if start is not None:
            params["start"] = str(unix_seconds(start, name="start"))
        if end is not None:
            params["end"] = str(unix_seconds(end, name="end"))
        if start is not None and end is not None and int(params["start"]) > int(params["end"]):
            raise ValueError(f"start ({start!r}) is after end ({end!r})")
        return await self._call(api.BANDWIDTH_GET, tag, params=params or None)
