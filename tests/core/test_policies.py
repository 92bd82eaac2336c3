"""Backoff and rate-limit policies, on their own."""

from __future__ import annotations

import anyio
import pytest

from novoserve_async import FakeClock, RetryPolicy, TokenBucket
from novoserve_async._retry import parse_retry_after


def test_backoff_is_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0)
    assert [policy.backoff(n, lambda: 1.0) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [policy.backoff(n, lambda: 0.0) for n in range(3)] == [0.0, 0.0, 0.0]
    assert policy.backoff(2, lambda: 0.25) == 0.5
    assert 0.0 <= policy.backoff(3) <= 4.0
    assert policy.backoff(10_000, lambda: 1.0) == 4.0


def test_backoff_without_jitter_waits_the_ceiling() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=3.0, jitter=False)
    assert [policy.backoff(n) for n in range(3)] == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "max_retry_after"])
def test_retry_policy_rejects_negative_delays(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: -1.0})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Tue, 14 Nov 2023 22:13:50 GMT", 30.0),
        ("Tue, 14 Nov 2023 22:13:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_parse_retry_after(value: str, expected: float | None) -> None:
    # 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
    assert parse_retry_after({"retry-after": value}, now=1_700_000_000.0) == expected


def test_parse_retry_after_absent() -> None:
    assert parse_retry_after({}, now=0.0) is None


def test_token_bucket_spaces_requests_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5.0, clock=clock)
    started: list[float] = []

    async def main() -> None:
        for _ in range(5):
            await bucket.acquire()
            started.append(clock.monotonic())

    anyio.run(main)
    assert started == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8])


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, burst=3, clock=clock)
    started: list[float] = []

    async def main() -> None:
        for _ in range(6):
            await bucket.acquire()
            started.append(clock.monotonic())

    anyio.run(main)
    assert started == pytest.approx([0.0, 0.0, 0.0, 0.1, 0.2, 0.3])


def test_token_bucket_refills_while_idle() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1.0, burst=2, clock=clock)

    async def main() -> list[float]:
        await bucket.acquire()
        await bucket.acquire()
        clock.advance(10.0)
        await bucket.acquire()
        await bucket.acquire()
        return clock.sleeps

    assert anyio.run(main) == []


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (1, 0)])
def test_token_bucket_rejects_bad_settings(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match=r"rate|burst"):
        TokenBucket(rate, burst=burst)
