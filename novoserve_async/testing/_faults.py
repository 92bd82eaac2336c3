"""Fault injection for the simulator: latency, errors, resets, slow and broken bodies, 429s.

A :class:`Faults` holds the knobs for the whole simulator and, in :attr:`Faults.endpoints`, a
:class:`Faults` per route (``"GET /servers/{tag}"``). A route's own setting wins over the
simulator-wide one, knob by knob; ``None`` means "inherit". Rate limits are the exception: the
simulator-wide bucket and the route's bucket both apply, like an account-wide limit and a
per-endpoint limit of a real API.

Random faults draw from the simulator's seeded generator; the ``*_next`` methods script the
next requests exactly, which is what tests of retry rules need.
"""

from __future__ import annotations

import collections
import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from ._routes import ROUTE_KEYS

__all__ = [
    "ActiveFaults",
    "Faults",
    "Latency",
    "LatencySpec",
    "RateLimit",
    "ScriptedFault",
    "Trickle",
    "check_route",
]

LatencySpec = float | Callable[[random.Random], float]
"""Seconds of added latency: a fixed number, or a function drawing it from the seeded RNG."""


@attrs.frozen
class Latency:
    """Latency distributions to use as :attr:`Faults.latency` (callable with the RNG)."""

    kind: str
    a: float
    b: float = 0.0

    @classmethod
    def uniform(cls, low: float, high: float) -> Latency:
        """Uniformly between ``low`` and ``high`` seconds."""
        if not 0 <= low <= high:
            raise ValueError("need 0 <= low <= high")
        return cls("uniform", low, high)

    @classmethod
    def exponential(cls, mean: float) -> Latency:
        """Exponentially distributed with the given mean (a long tail of slow requests)."""
        if mean <= 0:
            raise ValueError("mean must be > 0")
        return cls("exponential", mean)

    @classmethod
    def normal(cls, mean: float, stddev: float) -> Latency:
        """Normally distributed, clamped at zero."""
        if mean < 0 or stddev < 0:
            raise ValueError("mean and stddev must be >= 0")
        return cls("normal", mean, stddev)

    def __call__(self, rng: random.Random) -> float:
        """Draw one latency in seconds."""
        if self.kind == "uniform":
            return rng.uniform(self.a, self.b)
        if self.kind == "exponential":
            return rng.expovariate(1 / self.a)
        return max(0.0, rng.gauss(self.a, self.b))


@attrs.frozen
class Trickle:
    """Send response bodies slowly: ``chunk_size`` bytes, then wait ``delay`` seconds."""

    chunk_size: int = 16
    delay: float = 0.01

    def __attrs_post_init__(self) -> None:
        if self.chunk_size < 1 or self.delay < 0:
            raise ValueError("chunk_size must be >= 1 and delay >= 0")


@attrs.define(eq=False)
class RateLimit:
    """A token bucket: ``rate`` requests per second, bursts of up to ``burst``.

    A request that finds the bucket empty gets ``429 Too Many Requests`` with ``Retry-After``:
    whole seconds rounded up, as HTTP specifies, unless ``whole_seconds`` is false, in which
    case it is the exact wait with millisecond precision (handy for fast tests; a client must
    accept it). The bucket keeps its own state, so share one object to share a limit.
    """

    rate: float
    burst: int | None = None
    whole_seconds: bool = True
    clock: Callable[[], float] = attrs.field(default=time.monotonic, repr=False)
    _tokens: float = attrs.field(init=False, default=-1.0, repr=False)
    _updated: float = attrs.field(init=False, default=0.0, repr=False)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("rate must be > 0")
        if self.burst is None:
            self.burst = max(1, math.ceil(self.rate))
        elif self.burst < 1:
            raise ValueError("burst must be >= 1")

    @property
    def capacity(self) -> int:
        """The bucket size (``burst``)."""
        return self.burst or 1

    def acquire(self) -> tuple[bool, float, int]:
        """Take a token: ``(allowed, seconds until a token is available, tokens left)``."""
        with self._lock:
            now = self.clock()
            if self._tokens < 0:
                self._tokens = float(self.capacity)
            else:
                elapsed = max(0.0, now - self._updated)
                self._tokens = min(float(self.capacity), self._tokens + elapsed * self.rate)
            self._updated = now
            # A hair of tolerance: a client waiting exactly 1/rate must not miss by a rounding.
            if self._tokens >= 1.0 - 1e-9:
                self._tokens = max(0.0, self._tokens - 1.0)
                return True, 0.0, int(self._tokens + 1e-9)
            return False, (1.0 - self._tokens) / self.rate, 0

    def reset(self) -> None:
        """Refill the bucket."""
        with self._lock:
            self._tokens = -1.0

    def retry_after(self, wait: float) -> float:
        """The ``Retry-After`` value to send for a wait of ``wait`` seconds."""
        if self.whole_seconds:
            return float(max(1, math.ceil(wait)))
        return max(0.001, round(wait, 3))


@attrs.frozen
class ScriptedFault:
    """One scripted outcome for the next request (see the ``*_next`` methods of Faults).

    ``kind`` is ``"status"`` (answer ``status`` with an error envelope), ``"reset"`` (drop the
    connection after the request took effect), ``"malformed"`` (a truncated JSON body with
    status 200) or ``"delay"`` (wait ``delay`` seconds, then answer normally).
    """

    kind: str
    status: int = 503
    retry_after: float | None = None
    message: str | None = None
    delay: float = 0.0


def _check_probability(name: str, value: float | None) -> None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def _check_error_rates(rates: Mapping[int, float] | None) -> None:
    if rates is None:
        return
    for status, rate in rates.items():
        if not 100 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status!r}")
        _check_probability(f"error rate of {status}", rate)
    if sum(rates.values()) > 1.0 + 1e-9:
        raise ValueError("error rates add up to more than 1")


@attrs.define(eq=False)
class Faults:
    """Fault-injection settings, simulator-wide or (in :attr:`endpoints`) for one route.

    Every knob defaults to ``None``: no fault here, or for a route, the simulator-wide value.

    - ``latency``: seconds added before answering, or a distribution such as
      ``Latency.uniform(0.01, 0.05)`` (any callable taking a ``random.Random``).
    - ``error_rates``: ``{status: probability}``, answered with an error envelope.
    - ``retry_after``: seconds sent as ``Retry-After`` with injected 429 and 503 answers.
    - ``reset_rate``: probability of dropping the connection with no HTTP response (the
      request takes effect first, the worst case for a client that would resend it).
    - ``malformed_rate``: probability of a 200 whose JSON body is cut short.
    - ``trickle``: send bodies slowly (:class:`Trickle`).
    - ``rate_limit``: a token bucket (:class:`RateLimit`) answering 429 with ``Retry-After``.
    """

    latency: LatencySpec | None = None
    error_rates: dict[int, float] | None = None
    retry_after: float | None = None
    reset_rate: float | None = None
    malformed_rate: float | None = None
    trickle: Trickle | None = None
    rate_limit: RateLimit | None = None
    endpoints: dict[str, Faults] = attrs.field(factory=dict)
    _script: collections.deque[ScriptedFault] = attrs.field(
        init=False, factory=collections.deque, repr=False
    )
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock, repr=False)

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Check every knob (and every route's); raise ``ValueError`` on a bad one."""
        _check_error_rates(self.error_rates)
        _check_probability("reset_rate", self.reset_rate)
        _check_probability("malformed_rate", self.malformed_rate)
        if isinstance(self.latency, (int, float)) and self.latency < 0:
            raise ValueError("latency must be >= 0")
        for route, faults in self.endpoints.items():
            check_route(route)
            faults.validate()

    def for_endpoint(self, route: str) -> Faults:
        """The (created on first use) faults of one route, e.g. ``"POST /os-install/{tag}"``."""
        route = check_route(route)
        with self._lock:
            if route not in self.endpoints:
                self.endpoints[route] = Faults()
            return self.endpoints[route]

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 503,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> Faults:
        """Answer the next ``count`` requests with ``status`` and an error envelope.

        ``retry_after`` adds a ``Retry-After`` header (seconds). ``status=200`` sends an error
        envelope with HTTP 200, which NovoServe's APIs are known to do.
        """
        if not 100 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status!r}")
        return self._push(count, ScriptedFault("status", status, retry_after, message))

    def reset_next(self, count: int = 1) -> Faults:
        """Drop the connection of the next ``count`` requests after they took effect."""
        return self._push(count, ScriptedFault("reset"))

    def malform_next(self, count: int = 1) -> Faults:
        """Answer the next ``count`` requests with a truncated JSON body (status 200)."""
        return self._push(count, ScriptedFault("malformed"))

    def delay_next(self, seconds: float, count: int = 1) -> Faults:
        """Hold the next ``count`` requests for ``seconds`` before answering them normally."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        return self._push(count, ScriptedFault("delay", delay=seconds))

    def pending(self) -> int:
        """How many scripted faults are still waiting for a request."""
        return len(self._script)

    def clear(self) -> None:
        """Switch every fault off, here and for every route, and refill the rate limits."""
        with self._lock:
            self.latency = self.error_rates = self.retry_after = None
            self.reset_rate = self.malformed_rate = None
            self.trickle = self.rate_limit = None
            self._script.clear()
            self.endpoints.clear()

    def resolve(self, route: str | None) -> ActiveFaults:
        """The faults for one request to ``route``, taking its next scripted fault if any.

        A route's knobs win over these simulator-wide ones; its scripted faults come first.
        """
        endpoint = self.endpoints.get(route) if route is not None else None
        if endpoint is None:
            endpoint = _NO_FAULTS
        scripted = endpoint._pop_scripted() or self._pop_scripted()
        return ActiveFaults(
            latency=self.latency if endpoint.latency is None else endpoint.latency,
            error_rates=_first(endpoint.error_rates, self.error_rates),
            retry_after=_first(endpoint.retry_after, self.retry_after),
            reset_rate=_first(endpoint.reset_rate, self.reset_rate) or 0.0,
            malformed_rate=_first(endpoint.malformed_rate, self.malformed_rate) or 0.0,
            trickle=_first(endpoint.trickle, self.trickle),
            rate_limits=tuple(
                bucket for bucket in (self.rate_limit, endpoint.rate_limit) if bucket is not None
            ),
            scripted=scripted,
        )

    def _pop_scripted(self) -> ScriptedFault | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def _push(self, count: int, fault: ScriptedFault) -> Faults:
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            self._script.extend([fault] * count)
        return self


@attrs.frozen
class ActiveFaults:
    """The faults that apply to one request (see :meth:`Faults.resolve`)."""

    latency: LatencySpec | None
    error_rates: Mapping[int, float] | None
    retry_after: float | None
    reset_rate: float
    malformed_rate: float
    trickle: Trickle | None
    rate_limits: tuple[RateLimit, ...]
    scripted: ScriptedFault | None


_T = TypeVar("_T")


def _first(specific: _T | None, general: _T | None) -> _T | None:
    return specific if specific is not None else general


_NO_FAULTS = Faults()


def check_route(route: str) -> str:
    """Normalise ``"get  /servers/{tag}"`` to ``"GET /servers/{tag}"`` and check it exists."""
    method, _, path = route.strip().partition(" ")
    key = f"{method.upper()} {path.strip()}"
    if key not in ROUTE_KEYS:
        known = ", ".join(sorted(ROUTE_KEYS))
        raise ValueError(f"unknown route {route!r}; known routes: {known}")
    return key
