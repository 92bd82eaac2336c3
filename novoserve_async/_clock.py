"""Time sources: the real one, and a fake one that tests drive without waiting."""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

import anyio
import anyio.lowlevel

__all__ = ["Clock", "FakeClock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """What the SDK needs of time: a monotonic reading, wall-clock time and sleeping."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock, for deadlines, backoff and rate limits."""
        ...

    def time(self) -> float:
        """Unix wall-clock seconds, to read HTTP dates such as ``Retry-After``."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait for ``seconds``."""
        ...


class SystemClock:
    """The real clock: :func:`time.monotonic`, :func:`time.time` and :func:`anyio.sleep`."""

    def monotonic(self) -> float:
        """Seconds on the system's monotonic clock."""
        return time.monotonic()

    def time(self) -> float:
        """Unix wall-clock seconds."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Sleep on the running event loop (asyncio or trio)."""
        await anyio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock for tests: ``sleep`` records the wait and moves time forward at once.

    Attributes:
        now: The current monotonic reading.
        wall: The current Unix time.
        sleeps: Every wait asked for, in order.
    """

    def __init__(self, *, start: float = 0.0, wall: float = 1_700_000_000.0) -> None:
        self.now = start
        self.wall = wall
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The fake monotonic reading."""
        return self.now

    def time(self) -> float:
        """The fake Unix time."""
        return self.wall

    def advance(self, seconds: float) -> None:
        """Move both readings forward by ``seconds``."""
        self.now += seconds
        self.wall += seconds

    async def sleep(self, seconds: float) -> None:
        """Record the wait, advance time by it, and yield to the event loop once."""
        self.sleeps.append(seconds)
        if seconds > 0:
            self.advance(seconds)
        await anyio.lowlevel.checkpoint()

    def __repr__(self) -> str:
        return f"FakeClock(now={self.now!r})"
