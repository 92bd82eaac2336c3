"""Client-side rate limiting, behind a small protocol so that it can be replaced."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._clock import Clock, SystemClock

__all__ = ["RateLimiter", "TokenBucket"]


@runtime_checkable
class RateLimiter(Protocol):
    """Decides when the next request may start.

    The transport awaits :meth:`acquire` once before every attempt, after a slot of the
    admission limit is held and after any client-wide 429 pause is over.
    """

    async def acquire(self) -> None:
        """Return when one more request may be sent."""
        ...


class TokenBucket:
    """A token bucket of ``rate`` requests per second that allows bursts of ``burst``.

    It is implemented as a generic cell rate algorithm: each caller reserves the next free
    send time in O(1) and sleeps until then, so waiters are served in arrival order, there
    is no lock and no background task, and thousands of waiters cost nothing extra.
    """

    def __init__(self, rate: float, *, burst: int = 1, clock: Clock | None = None) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be a positive number of requests per second, not {rate!r}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst!r}")
        self.rate = float(rate)
        self.burst = burst
        self._clock = clock or SystemClock()
        self._interval = 1.0 / self.rate
        self._tolerance = (burst - 1) * self._interval
        self._theoretical_arrival = float("-inf")

    async def acquire(self) -> None:
        """Reserve the next send time and wait for it."""
        now = self._clock.monotonic()
        arrival = max(self._theoretical_arrival, now)
        self._theoretical_arrival = arrival + self._interval
        wait = arrival - self._tolerance - now
        if wait > 0:
            await self._clock.sleep(wait)

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate!r}, burst={self.burst!r})"
