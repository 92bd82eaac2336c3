"""Transport behaviour that only a real socket shows: cancellation, deadlines, pooling."""

from __future__ import annotations

import os
import time

import anyio
import pytest

from novoserve_async import APITimeoutError, NovoServe, RetryPolicy
from novoserve_async.testing import Faults, Simulator, Trickle

TINY = RetryPolicy(initial_delay=0.001, max_delay=0.002)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def settle(predicate: object, seconds: float = 3.0) -> None:
    # The server closes its side of a dropped connection on its own schedule: poll briefly.
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:  # type: ignore[operator]  # noqa: ASYNC110
        await anyio.sleep(0.01)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_cancelled_calls_leak_no_connection_or_descriptor(anyio_backend: str) -> None:
    async with Simulator(servers=50, faults=Faults(latency=0.3)) as sim:
        baseline = open_fds()
        ns = NovoServe("k", "s", base_url=sim.base_url, max_concurrency=16, retry_policy=TINY)
        with anyio.move_on_after(0.1):
            async with anyio.create_task_group() as tg:
                for tag in sim.tags * 2:
                    tg.start_soon(ns.servers.get, tag)
        # The client keeps working after the cancellation...
        sim.faults.latency = None
        results = [await ns.servers.get(tag) for tag in sim.tags[:5]]
        assert len(results) == 5
        admission = ns._transport._admission
        assert admission is not None
        assert admission.value == 16
        await ns.aclose()
        # ...and once closed, every socket it opened is gone.
        await settle(lambda: open_fds() <= baseline)
        assert open_fds() <= baseline


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_deadline_stops_a_trickling_body(anyio_backend: str) -> None:
    # Each chunk arrives well within any per-read timeout; the whole body never would.
    faults = Faults()
    faults.for_endpoint("GET /health-check/ilo/{tag}").trickle = Trickle(chunk_size=8, delay=0.02)
    async with (
        Simulator(servers=3, faults=faults) as sim,
        NovoServe(
            "k", "s", base_url=sim.base_url, timeout=0.25, max_retries=1, retry_policy=TINY
        ) as ns,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await ns.health.ilo(sim.tags[0])
        assert time.monotonic() - started < 2.0
        assert sim.request_count("GET", "/health-check/ilo/{tag}") == 2
        # Other endpoints are unaffected.
        assert (await ns.servers.get(sim.tags[0])).location.data_center


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_gather_over_a_small_pool_never_times_out_waiting(anyio_backend: str) -> None:
    # 2,000 calls through 4 connections with a 0.5 s timeout: the queue wait (seconds) is
    # outside the deadline because the admission limiter, not httpx's pool, holds the queue.
    async with (
        Simulator(servers=100) as sim,
        NovoServe(
            "k", "s", base_url=sim.base_url, max_concurrency=4, timeout=0.5, max_retries=0
        ) as ns,
    ):
        results: list[object] = []

        async def one(tag: str) -> None:
            results.append(await ns.servers.get(tag))

        async with anyio.create_task_group() as tg:
            for i in range(2000):
                tg.start_soon(one, sim.tags[i % 100])
        assert len(results) == 2000
        assert sim.request_count("GET", "/servers/{tag}") == 2000
