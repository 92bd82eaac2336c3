"""Peak memory of a fleet scan: bounded by the concurrency, not by the number of tags.

Run with ``nox -s bench`` or ``python benchmarks/bench_fleet_memory.py``. Each size runs in a
fresh subprocess that scans a generated stream of tags (never held in a list) against an
in-memory transport answering every request at once, and reports its peak RSS. The scan
uses ``dedupe=False``: de-duplication keeps a set of the tags seen, which grows with them
by design.

Target (issue "Fleet scans"): peak RSS at 10x the tags within 1.2x.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import httpx

from novoserve_async import NovoServe

BODY = json.dumps(
    {"issues": [{"eventid": "1", "clock": 0, "name": "Fan", "severity": "2"}], "description": ""}
).encode()


def respond(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


async def scan(count: int, concurrency: int) -> int:
    http_client = httpx.AsyncClient(transport=httpx.MockTransport(respond))
    seen = 0
    async with NovoServe("k", "s", base_url="http://127.0.0.1:9", http_client=http_client) as ns:
        tags = (f"{i // 1000}-{i % 1000}" for i in range(count))
        async with ns.fleet.scan(
            tags, checks=["hardware"], concurrency=concurrency, dedupe=False
        ) as results:
            async for _ in results:
                seen += 1
    return seen


def child(count: int, concurrency: int) -> None:
    import anyio

    started = time.perf_counter()
    seen = anyio.run(scan, count, concurrency)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"tags": seen, "peak_mib": peak_kib / 1024, "seconds": time.perf_counter() - started}
        )
    )


def run(count: int, concurrency: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(count), "--concurrency", str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--small", type=int, default=5_000)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.concurrency)
        return 0
    small = run(args.small, args.concurrency)
    large = run(args.small * 10, args.concurrency)
    ratio = large["peak_mib"] / small["peak_mib"]
    for figures in (small, large):
        print(
            f"{int(figures['tags']):>8,} tags: peak RSS {figures['peak_mib']:6.1f} MiB "
            f"({figures['seconds']:.1f} s)"
        )
    verdict = "ok" if ratio <= 1.2 else "MISSED"
    print(f"peak RSS at 10x the tags = {ratio:.3f}x  (target <= 1.20)  {verdict}")
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
