"""A small fake of the API over httpx.MockTransport, with per-tag, per-route faults.

The fleet tests use it instead of the simulator where they need exact control: which tag
fails on which route, and how many requests are in flight at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import anyio
import anyio.lowlevel
import httpx

from novoserve_async import FakeClock, NovoServe, RetryPolicy

BASE = "https://api.fleet.novoserve.invalid"

SERVER = {
    "location": {"dataCenter": "Delft (TDCG)", "rack": "2.C Row F 10", "unit": 40, "rackId": 4411},
    "hardwareProfile": "123-123",
}
NETWORK = {"ip": "10.3.1.4", "subnet": "255.255.255.0", "gateway": "10.3.1.1"}
ILO_HEALTH_OK = {"HEALTH_AT_A_GLANCE": {"FANS": {"STATUS": "OK"}}}
ILO_HEALTH_DEGRADED = {"HEALTH_AT_A_GLANCE": {"FANS": [{"STATUS": "Degraded"}]}}


def hardware(*severities: int) -> dict[str, Any]:
    issues = [
        {"eventid": str(1000 + i), "clock": 0, "name": f"issue {i}", "severity": str(sev)}
        for i, sev in enumerate(severities)
    ]
    return {"issues": issues, "description": ""}


def client_state(*states: str) -> list[dict[str, Any]]:
    return [
        {"id": "1", "ctime": "1589982114", "ctime-human": "x", "state": state, state: "{}"}
        for state in states
    ]


def bandwidth(total: float) -> dict[str, Any]:
    return {"data": {"2024-05-01": {"in": total / 2, "out": total / 2, "tot": total}}}


class FakeAPI:
    """Answers every documented GET for a set of tags.

    Attributes:
        tags: The account's tags, for ``GET /servers/``.
        faults: ``(tag, area)`` → an HTTP status to answer, or an exception to raise;
            ``area`` is the first path segment (``"servers"``, ``"health-check"``, ...)
            or ``"*"`` for every route of that tag.
        hardware: tag → the hardware-health payload (default: no issues).
        states: tag → client-state payload (default: ``[]``).
        uid: tag → ``"on"`` / ``"off"`` / ``"blink"`` (default ``"off"``).
        traffic: tag → total bandwidth (default 1.0).
        ilo_degraded: tags whose iLO health has a degraded subsystem.
        servers_list: The payload of ``GET /servers/`` (default: :attr:`tags`).
        servers_list_status: The HTTP status of ``GET /servers/``.
        checkpoints: Times each request yields to the event loop before answering, so
            that concurrent requests really overlap.
        requests: Every request as ``(method, path)``.
        in_flight: Requests being answered right now, per tag.
        max_tags_in_flight: The most distinct tags that had a request in flight at once.
    """

    def __init__(self, tags: Iterable[str] = (), *, checkpoints: int = 0) -> None:
        self.tags = list(tags)
        self.faults: dict[tuple[str, str], int | Exception] = {}
        self.hardware: dict[str, dict[str, Any]] = {}
        self.states: dict[str, list[dict[str, Any]]] = {}
        self.uid: dict[str, str] = {}
        self.traffic: dict[str, float] = {}
        self.ilo_degraded: set[str] = set()
        self.servers_list: Any = None
        self.servers_list_status = 200
        self.checkpoints = checkpoints
        self.requests: list[tuple[str, str]] = []
        self.in_flight: Counter[str] = Counter()
        self.max_tags_in_flight = 0

    def client(self, **options: Any) -> NovoServe:
        defaults: dict[str, Any] = {
            "base_url": BASE,
            "clock": FakeClock(),
            "retry_policy": RetryPolicy(initial_delay=0.1, max_delay=1.0, jitter=False),
            "http_client": httpx.AsyncClient(transport=httpx.MockTransport(self.handle)),
        }
        defaults.update(options)
        return NovoServe("key", "secret", **defaults)

    def requests_for(self, tag: str) -> list[tuple[str, str]]:
        return [(method, path) for method, path in self.requests if path.endswith("/" + tag)]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append((request.method, path))
        segments = path.strip("/").split("/")
        area = segments[0]
        if path == "/servers/":
            payload = self.servers_list if self.servers_list is not None else self.tags
            if self.servers_list_status != 200:
                payload = {"status": "error", "results": "no"}
            return httpx.Response(self.servers_list_status, json=payload)
        tag = segments[-1]
        self.in_flight[tag] += 1
        self.max_tags_in_flight = max(self.max_tags_in_flight, len(+self.in_flight))
        try:
            for _ in range(self.checkpoints):
                await anyio.lowlevel.checkpoint()
            fault = self.faults.get((tag, area), self.faults.get((tag, "*")))
            if isinstance(fault, Exception):
                raise fault
            if fault is not None:
                return httpx.Response(fault, json={"status": "error", "results": f"HTTP {fault}"})
            return self._answer(area, segments, tag)
        finally:
            self.in_flight[tag] -= 1

    def _answer(self, area: str, segments: list[str], tag: str) -> httpx.Response:
        if area == "servers":
            return httpx.Response(200, json={"status": "success", "results": SERVER})
        if area == "health-check" and segments[1] == "hardware":
            return httpx.Response(200, json=self.hardware.get(tag, hardware()))
        if area == "health-check" and segments[1] == "ilo":
            degraded = tag in self.ilo_degraded
            return httpx.Response(200, json=ILO_HEALTH_DEGRADED if degraded else ILO_HEALTH_OK)
        if area == "client-state":
            return httpx.Response(200, json=self.states.get(tag, []))
        if area == "ilo-uid":
            return httpx.Response(200, content=self.uid.get(tag, "off").encode())
        if area == "bandwidth":
            return httpx.Response(200, json=bandwidth(self.traffic.get(tag, 1.0)))
        if area == "network-info":
            return httpx.Response(200, json=NETWORK)
        if area == "ilo-controls":
            return httpx.Response(200, content=json.dumps({"resource": segments[1]}).encode())
        return httpx.Response(404, json={"status": "error", "results": "no such route"})
