"""When to retry, and how long to wait first."""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable, Mapping

import attrs

__all__ = ["RETRYABLE_STATUS_CODES", "RetryPolicy", "parse_retry_after"]

#: Statuses that are retried for idempotent requests (GET, DELETE).
RETRYABLE_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, not {value!r}")


@attrs.frozen
class RetryPolicy:
    """How the client waits between attempts.

    The wait before retry ``n`` (counting from 0) is drawn uniformly from
    ``[0, min(max_delay, initial_delay * 2**n)]`` ("full jitter"), unless the server sent
    ``Retry-After``, which is honoured as given up to ``max_retry_after`` seconds; a longer
    requested wait is not slept through: the error is raised at once instead.

    Attributes:
        initial_delay: The backoff ceiling of the first retry, in seconds.
        max_delay: The largest backoff ceiling, in seconds.
        max_retry_after: The longest ``Retry-After`` the client will wait, in seconds.
        jitter: Draw the wait at random (``True``) or always wait the full ceiling.
    """

    initial_delay: float = attrs.field(default=0.5, validator=_non_negative)
    max_delay: float = attrs.field(default=8.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)
    jitter: bool = True

    def backoff(self, retry_number: int, rand: Callable[[], float] = random.random) -> float:
        """The wait in seconds before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.max_delay, self.initial_delay * (2.0 ** min(retry_number, 62)))
        return ceiling * rand() if self.jitter else ceiling


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    ``now`` is the current Unix time, used for the HTTP-date form. Returns ``None`` when the
    header is absent or unreadable; a date in the past gives ``0.0``.
    """
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - now
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
