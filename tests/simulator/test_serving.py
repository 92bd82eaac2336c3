"""Serving: over loopback with uvicorn from sync, asyncio and Trio code, or in-process."""

from __future__ import annotations

import socket
import sys
from typing import Any

import httpx
import pytest

from novoserve_async.testing import IN_PROCESS_BASE_URL, Simulator

from .conftest import AUTH, results


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_with_serves_on_a_free_loopback_port() -> None:
    sim = Simulator(servers=3)
    assert sim.base_url == IN_PROCESS_BASE_URL
    assert not sim.serving
    with sim:
        assert sim.serving
        assert sim.base_url.startswith("http://127.0.0.1:")
        port = int(sim.base_url.rsplit(":", 1)[1])
        assert port > 0
        response = httpx.get(f"{sim.base_url}/servers/", auth=AUTH)
        assert results(response) == sim.tags
        server = sim._server
    assert not sim.serving
    # Stopped for good: the thread has ended and the listening socket is closed. (Probing
    # the port instead would race with any other process that picks the freed port.)
    assert server is not None
    assert not server._thread.is_alive()
    assert server._socket.fileno() == -1


def test_start_and_stop_can_be_called_explicitly() -> None:
    sim = Simulator(servers=2)
    sim.start()
    try:
        with pytest.raises(RuntimeError, match="already serving"):
            sim.start()
        assert "serving at http://127.0.0.1:" in repr(sim)
    finally:
        sim.stop()
    sim.stop()  # stopping twice is harmless
    sim.start()  # and it can serve again
    sim.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_chosen_port_is_used() -> None:
    port = _free_port()
    with Simulator(servers=1, port=port) as sim:
        assert sim.base_url == f"http://127.0.0.1:{port}"
        results(httpx.get(f"{sim.base_url}/servers/", auth=AUTH))


def test_a_busy_port_is_an_error() -> None:
    with Simulator(servers=1) as first:
        port = int(first.base_url.rsplit(":", 1)[1])
        with pytest.raises(OSError, match="in use"), Simulator(servers=1, port=port):
            pass


def test_serving_without_uvicorn_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    sim = Simulator(servers=1)
    with pytest.raises(RuntimeError, match=r"novoserve-async\[simulator\]"):
        sim.start()
    assert not sim.serving


def test_ipv6_loopback_is_served_in_brackets() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        sim = Simulator(servers=1, host="::1")
        sim.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert sim.base_url.startswith("http://[::1]:")
        results(httpx.get(f"{sim.base_url}/servers/", auth=AUTH))
    finally:
        sim.stop()


@pytest.mark.anyio
async def test_async_with_serves_under_asyncio_and_trio(anyio_backend: str) -> None:
    sim = Simulator(servers=4, seed=2)
    async with sim, httpx.AsyncClient(base_url=sim.base_url, auth=AUTH) as http:
        tag = sim.tags[0]
        assert results(await http.get(f"/servers/{tag}"))["location"]
        sim.faults.reset_next()
        with pytest.raises(httpx.ReadError):
            await http.get(f"/servers/{tag}")
    assert not sim.serving


@pytest.mark.anyio
async def test_in_process_transport_works_under_asyncio_and_trio(anyio_backend: str) -> None:
    sim = Simulator(servers=4, seed=2)
    sim.faults.latency = 0.005
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        assert results(await http.get("/servers/")) == sim.tags
        sim.faults.reset_next()
        with pytest.raises(httpx.ReadError):
            await http.get("/servers/")


@pytest.mark.asyncio
async def test_the_app_answers_asgi_lifespan_events() -> None:
    sim = Simulator(servers=1)
    sent: list[dict[str, Any]] = []
    events = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, Any]:
        return next(events)

    async def send(message: Any) -> None:
        sent.append(dict(message))

    await sim.app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
