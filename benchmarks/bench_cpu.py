"""Client-side CPU per call: the SDK against raw httpx, and at 1,000 against 10,000 calls.

Run with ``nox -s bench`` or ``python benchmarks/bench_cpu.py``. A server runs in another
process; the figures are this process's CPU time (``time.process_time``) per call, so the
server's work is not counted. Each figure is the median of several rounds, and the SDK and
raw rounds are interleaved so that noise on this shared machine hits both alike.

Targets (issue "Core SDK"):
- SDK CPU per call <= 1.3x raw httpx guarded by ``asyncio.Semaphore(32)``, 2,000 gathered
  ``servers.get`` calls with 32 in flight;
- SDK CPU per call at 10,000 gathered calls <= 1.25x that at 1,000.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx

from novoserve_async import NovoServe

CONCURRENCY = 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server() -> Iterator[str]:
    port = free_port()
    script = Path(__file__).with_name("_server.py")
    process = subprocess.Popen([sys.executable, str(script), str(port)])
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the benchmark server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


async def cpu_per_call(run: Callable[[int], Awaitable[None]], calls: int) -> float:
    gc.collect()
    start = time.process_time()
    await run(calls)
    return (time.process_time() - start) / calls * 1e6


async def measure(base_url: str, calls: int, rounds: int) -> dict[str, float]:
    sdk = NovoServe("bench-key", "bench-secret", base_url=base_url, max_concurrency=CONCURRENCY)
    raw = httpx.AsyncClient(
        base_url=base_url,
        auth=("bench-key", "bench-secret"),
        headers={"Accept": "application/json"},
        limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
    )
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def raw_get(tag: str) -> object:
        async with semaphore:
            response = await raw.get(f"/servers/{tag}")
            response.raise_for_status()
            return response.json()

    async def run_raw(n: int) -> None:
        await asyncio.gather(*(raw_get(f"{i % 997}-1") for i in range(n)))

    async def run_sdk(n: int) -> None:
        await asyncio.gather(*(sdk.servers.get(f"{i % 997}-1") for i in range(n)))

    figures: dict[str, list[float]] = {"raw": [], "sdk": []}
    try:
        await run_raw(500)  # warm up: connections, imports, caches
        await run_sdk(500)
        for _ in range(rounds):
            figures["raw"].append(await cpu_per_call(run_raw, calls))
            figures["sdk"].append(await cpu_per_call(run_sdk, calls))
    finally:
        await sdk.aclose()
        await raw.aclose()
    return {name: statistics.median(values) for name, values in figures.items()}


async def measure_scaling(base_url: str, rounds: int) -> dict[int, float]:
    sdk = NovoServe("bench-key", "bench-secret", base_url=base_url, max_concurrency=CONCURRENCY)

    async def run_sdk(n: int) -> None:
        await asyncio.gather(*(sdk.servers.get(f"{i % 997}-1") for i in range(n)))

    figures: dict[int, list[float]] = {1_000: [], 10_000: []}
    try:
        await run_sdk(500)
        for _ in range(rounds):
            for calls in figures:
                figures[calls].append(await cpu_per_call(run_sdk, calls))
    finally:
        await sdk.aclose()
    return {calls: statistics.median(values) for calls, values in figures.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with server() as base_url:
        vs_raw = asyncio.run(measure(base_url, 2_000, args.rounds))
        scaling = asyncio.run(measure_scaling(base_url, max(3, args.rounds // 2 + 1)))
    ratio_raw = vs_raw["sdk"] / vs_raw["raw"]
    ratio_scale = scaling[10_000] / scaling[1_000]
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}, pid {os.getpid()}")
    print("client CPU per call, median of rounds (µs):")
    print(f"  raw httpx + Semaphore(32), 2,000 calls : {vs_raw['raw']:8.1f}")
    print(f"  novoserve-async,            2,000 calls : {vs_raw['sdk']:8.1f}")
    print(f"  novoserve-async,            1,000 calls : {scaling[1_000]:8.1f}")
    print(f"  novoserve-async,           10,000 calls : {scaling[10_000]:8.1f}")
    ok_raw = ratio_raw <= 1.3
    ok_scale = ratio_scale <= 1.25
    verdict = {True: "ok", False: "MISSED"}
    print(f"SDK / raw httpx         = {ratio_raw:.3f}  (target <= 1.30)  {verdict[ok_raw]}")
    print(f"10,000 / 1,000 per call = {ratio_scale:.3f}  (target <= 1.25)  {verdict[ok_scale]}")
    return 0 if ok_raw and ok_scale else 1


if __name__ == "__main__":
    raise SystemExit(main())
