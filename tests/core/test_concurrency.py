"""Fan-out, admission control, deadlines and cancellation, on asyncio and trio."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator

import anyio
import anyio.lowlevel
import httpx
import pytest

from novoserve_async import APITimeoutError, FakeClock, NovoServe, RetryPolicy, TokenBucket

from . import payloads

BASE = "http://127.0.0.1:9"  # never connected to: every test here uses an in-memory transport


class InFlight:
    """An async handler that counts concurrent requests and can hold them until released."""

    def __init__(self, *, hold: bool = False) -> None:
        self.current = 0
        self.peak = 0
        self.calls = 0
        self.release = anyio.Event() if hold else None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        self.current += 1
        self.peak = max(self.peak, self.current)
        try:
            if self.release is not None:
                await self.release.wait()
            else:
                await anyio.lowlevel.checkpoint()
            return httpx.Response(200, json=payloads.SERVER)
        finally:
            self.current -= 1


def client_over(handler: InFlight | object, **options: object) -> NovoServe:
    http_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    options.setdefault("retry_policy", RetryPolicy(initial_delay=0.0, max_delay=0.0))
    return NovoServe("k", "s", base_url=BASE, http_client=http_client, **options)  # type: ignore[arg-type]


@pytest.fixture
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return "asyncio"


@pytest.mark.asyncio
async def test_gathering_5000_calls_completes_without_errors_within_the_admission_limit() -> None:
    handler = InFlight()
    ns = client_over(handler, max_concurrency=32)
    results = await asyncio.gather(
        *(ns.servers.get(f"{i}-1") for i in range(5000)), return_exceptions=True
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert handler.calls == 5000
    assert handler.peak == 32  # the limit is reached and never passed


@pytest.mark.asyncio
async def test_waiting_for_a_slot_does_not_count_against_the_timeout() -> None:
    # 50 calls, 2 at a time, each taking ~20 ms: the last waits ~0.5 s for a slot, far
    # beyond the 0.2 s per-attempt timeout, and still succeeds.
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.02)
        return httpx.Response(200, json=payloads.SERVER)

    ns = client_over(slow, max_concurrency=2, timeout=0.2, max_retries=0)
    results = await asyncio.gather(*(ns.servers.get(f"{i}-1") for i in range(50)))
    assert len(results) == 50


@pytest.mark.asyncio
async def test_waiting_for_the_rate_limit_does_not_count_against_the_timeout() -> None:
    clock = FakeClock()
    handler = InFlight()
    limiter = TokenBucket(1.0, clock=clock)  # fake time: 100 s of waiting, no real wait
    ns = client_over(handler, rate_limit=limiter, timeout=0.5, clock=clock, max_retries=0)
    await asyncio.gather(*(ns.servers.get(f"{i}-1") for i in range(100)))
    assert handler.calls == 100
    assert sum(clock.sleeps) == pytest.approx(99.0)


@pytest.mark.asyncio
async def test_rate_limit_option_builds_a_token_bucket() -> None:
    clock = FakeClock()
    handler = InFlight()
    ns = client_over(handler, rate_limit=4.0, clock=clock)
    for i in range(4):
        await ns.servers.get(f"{i}-1")
    assert clock.sleeps == pytest.approx([0.25, 0.25, 0.25])


async def _never_answers(request: httpx.Request) -> httpx.Response:
    await anyio.sleep_forever()
    raise AssertionError("unreachable")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_timeout_bounds_the_whole_attempt(anyio_backend: str) -> None:
    calls = 0

    async def trickle(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1

        async def body() -> AsyncIterator[bytes]:
            # One byte every 10 ms: each read is quick, the whole body never ends in time.
            while True:
                yield b" "
                await anyio.sleep(0.01)

        return httpx.Response(200, content=body())

    ns = client_over(trickle, timeout=0.1, max_retries=1)
    with pytest.raises(APITimeoutError) as caught:
        await ns.servers.get("123-123")
    assert calls == 2  # a GET is retried once, then the timeout is raised
    assert "timed out" in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_post_that_timed_out_is_sent_once(anyio_backend: str) -> None:
    calls = 0

    async def hang(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return await _never_answers(request)

    ns = client_over(hang, timeout=0.05, max_retries=3)
    with pytest.raises(APITimeoutError) as caught:
        await ns.power.reset("123-123")
    assert calls == 1
    assert "unknown" in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_cancelled_calls_release_their_slots_and_the_client_keeps_working(
    anyio_backend: str,
) -> None:
    handler = InFlight(hold=True)
    ns = client_over(handler, max_concurrency=8)
    with anyio.move_on_after(5):  # a safety net only; the cancel below comes first
        async with anyio.create_task_group() as tg:
            for i in range(100):
                tg.start_soon(ns.servers.get, f"{i}-1")
            while handler.current < 8:
                await anyio.lowlevel.checkpoint()
            tg.cancel_scope.cancel()
    assert handler.current == 0
    assert handler.calls == 8
    admission = ns._transport._admission
    assert admission is not None
    assert admission.value == 8
    assert handler.release is not None
    handler.release.set()
    results = [await ns.servers.get(f"{i}-2") for i in range(3)]
    assert len(results) == 3
    await ns.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_gather_and_retry_under_trio_and_asyncio(anyio_backend: str) -> None:
    seen: dict[str, int] = {}

    async def flaky(request: httpx.Request) -> httpx.Response:
        tag = request.url.path.rsplit("/", 1)[1]
        seen[tag] = seen.get(tag, 0) + 1
        if seen[tag] == 1:
            return httpx.Response(503)
        return httpx.Response(200, json={"status": "success", "results": payloads.SERVER})

    ns = client_over(flaky, max_concurrency=16)
    results: list[object] = []

    async def one(tag: str) -> None:
        results.append(await ns.servers.get(tag))

    async with anyio.create_task_group() as tg:
        for i in range(200):
            tg.start_soon(one, f"{i}-7")
    assert len(results) == 200
    assert set(seen.values()) == {2}


@pytest.mark.asyncio
async def test_cancellation_leaves_no_task_behind() -> None:
    handler = InFlight(hold=True)
    ns = client_over(handler, max_concurrency=4)
    tasks = [asyncio.ensure_future(ns.servers.get(f"{i}-1")) for i in range(20)]
    while handler.current < 4:  # noqa: ASYNC110 - polling the fake server's own counter
        await asyncio.sleep(0)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    gc.collect()
    assert {t for t in asyncio.all_tasks() if not t.done()} == {asyncio.current_task()}
    assert handler.current == 0
