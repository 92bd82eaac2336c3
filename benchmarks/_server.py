"""A minimal API server for benchmarks: answers every GET with one fixed server document.

Run as ``python benchmarks/_server.py PORT``; it is kept trivial so that the client's cost
is what the benchmarks measure.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

BODY = json.dumps(
    {
        "status": "success",
        "results": {
            "location": {
                "dataCenter": "Delft (TDCG)",
                "rack": "2.C Row F 10",
                "unit": 40,
                "rackId": 4411,
            },
            "hardwareProfile": "123-123",
        },
    }
).encode()
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
        backlog=4096,
    )
