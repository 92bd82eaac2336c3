"""The retry rules, proven against the simulator's faults and request counter.

The client runs on the plugin's FakeClock: backoffs, ``Retry-After`` waits and 429 pauses are
recorded in ``novoserve_clock.sleeps`` and take no real time. Scripted faults (``fail_next``,
``reset_next``, ``delay_next``) make each rule deterministic; the request counter proves how
many times a call reached the server.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from novoserve_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    FakeClock,
    InternalServerError,
    NotFoundError,
    NovoServe,
    RateLimitError,
    RetryPolicy,
)
from novoserve_async.testing import Faults, RateLimit, Simulator

RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]
SERVER_ERRORS = [500, 502, 503, 504]

# -- GET (and DELETE): retried on every transient failure -------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("status", RETRIED_STATUSES)
async def test_get_is_retried_on_transient_statuses(
    ns: NovoServe, sim: Simulator, tag: str, status: int
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(2, status=status)
    assert (await ns.servers.get(tag)).location.data_center
    assert sim.request_count("GET", "/servers/{tag}") == 3


@pytest.mark.asyncio
@pytest.mark.novoserve_client(max_retries=3)
async def test_get_gives_up_after_max_retries(ns: NovoServe, sim: Simulator, tag: str) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(10, status=503)
    with pytest.raises(InternalServerError):
        await ns.servers.get(tag)
    assert sim.request_count("GET", "/servers/{tag}") == 4


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
async def test_get_is_not_retried_on_client_errors(
    ns: NovoServe, sim: Simulator, tag: str, status: int
) -> None:
    sim.faults.fail_next(1, status=status)
    with pytest.raises(APIStatusError) as caught:
        await ns.servers.get(tag)
    assert caught.value.status_code == status
    assert sim.request_count("GET", "/servers/{tag}") == 1


@pytest.mark.asyncio
async def test_get_of_an_unknown_tag_is_asked_once(ns: NovoServe, sim: Simulator) -> None:
    with pytest.raises(NotFoundError):
        await ns.rdns.list("999-999")
    assert sim.request_count("GET", "/rdns/{tag}") == 1


@pytest.mark.asyncio
async def test_get_is_retried_after_connection_resets(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /health-check/ilo/{tag}").reset_next(2)
    assert (await ns.health.ilo(tag)).fans
    assert sim.request_count("GET", "/health-check/ilo/{tag}") == 3


@pytest.mark.asyncio
@pytest.mark.novoserve_client(timeout=0.1)
async def test_get_is_retried_after_a_timeout(ns: NovoServe, sim: Simulator, tag: str) -> None:
    sim.faults.for_endpoint("GET /network-info/{tag}").delay_next(0.3)
    assert str(await ns.network.info(tag))
    assert sim.request_count("GET", "/network-info/{tag}") == 2


@pytest.mark.asyncio
@pytest.mark.novoserve_client(max_retries=1)
async def test_a_get_that_keeps_resetting_is_a_connection_error(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").reset_next(2)
    with pytest.raises(APIConnectionError):
        await ns.servers.get(tag)
    assert sim.request_count("GET", "/servers/{tag}") == 2


@pytest.mark.asyncio
async def test_delete_is_retried_like_a_get(ns: NovoServe, sim: Simulator, tag: str) -> None:
    route = sim.faults.for_endpoint("DELETE /webiso-installs/{tag}")
    route.fail_next(1, status=503)
    route.reset_next(1)
    await ns.webiso.unmount(tag)
    assert sim.request_count("DELETE", "/webiso-installs/{tag}") == 3


# -- POST: sent at most once unless the server provably did not act ---------------------


def _post_calls(sim: Simulator, tag: str) -> dict[str, Callable[[NovoServe], Awaitable[Any]]]:
    server = sim.server(tag)
    return {
        "POST /os-install/{tag}": lambda ns: ns.os_installs.install(tag, server.profile.os_ids[0]),
        "POST /rdns/{tag}": lambda ns: ns.rdns.set(
            tag, server.rdns[0].interface_ip, "once.example.org"
        ),
        "POST /powerstate/{tag}": lambda ns: ns.power.reset(tag),
        "POST /console-url/{tag}": lambda ns: ns.console.url(tag, "203.0.113.10"),
        "POST /webiso-installs/{tag}": lambda ns: ns.webiso.mount(
            tag, "http://webiso.novoserve.com/.installs/CR-CentOS-7.iso"
        ),
    }


POST_ROUTES = [
    "POST /os-install/{tag}",
    "POST /rdns/{tag}",
    "POST /powerstate/{tag}",
    "POST /console-url/{tag}",
    "POST /webiso-installs/{tag}",
]


def _count(sim: Simulator, route: str) -> int:
    method, path = route.split(" ")
    return sim.request_count(method, path)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("route", "status"),
    [(route, 503) for route in POST_ROUTES]
    + [("POST /os-install/{tag}", status) for status in SERVER_ERRORS if status != 503],
)
async def test_post_is_not_retried_on_a_server_error(
    ns: NovoServe, sim: Simulator, tag: str, route: str, status: int
) -> None:
    sim.faults.for_endpoint(route).fail_next(1, status=status)
    with pytest.raises(InternalServerError, match="outcome of this POST is unknown"):
        await _post_calls(sim, tag)[route](ns)
    assert _count(sim, route) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("route", POST_ROUTES)
async def test_post_is_not_retried_after_a_reset_once_sent(
    ns: NovoServe, sim: Simulator, tag: str, route: str
) -> None:
    sim.faults.for_endpoint(route).reset_next(1)
    with pytest.raises(APIConnectionError, match="outcome of this POST is unknown") as caught:
        await _post_calls(sim, tag)[route](ns)
    assert caught.value.request_sent
    assert _count(sim, route) == 1


@pytest.mark.asyncio
async def test_a_reset_install_did_happen_which_is_why_it_is_not_resent(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("POST /os-install/{tag}").reset_next(1)
    with pytest.raises(APIConnectionError):
        await ns.os_installs.install(tag, sim.server(tag).profile.os_ids[0])
    assert len(sim.server(tag).installs) == 1
    assert (await ns.client_state.get(tag))[0].state == "installing"


@pytest.mark.asyncio
@pytest.mark.novoserve_client(timeout=0.1)
async def test_post_is_not_retried_after_a_timeout_once_sent(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("POST /os-install/{tag}").delay_next(0.3)
    with pytest.raises(APITimeoutError, match="outcome of this POST is unknown"):
        await ns.os_installs.install(tag, sim.server(tag).profile.os_ids[0])
    assert sim.request_count("POST", "/os-install/{tag}") == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("route", POST_ROUTES)
async def test_post_is_retried_on_429_and_acts_once(
    ns: NovoServe, sim: Simulator, tag: str, route: str, novoserve_clock: FakeClock
) -> None:
    sim.faults.for_endpoint(route).fail_next(2, status=429, retry_after=1)
    await _post_calls(sim, tag)[route](ns)
    assert _count(sim, route) == 3
    assert novoserve_clock.sleeps == [1.0, 1.0]


@pytest.mark.asyncio
async def test_a_retried_install_is_performed_exactly_once(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("POST /os-install/{tag}").fail_next(1, status=429)
    await ns.os_installs.install(tag, sim.server(tag).profile.os_ids[0])
    assert sim.request_count("POST", "/os-install/{tag}") == 2
    assert len(sim.server(tag).installs) == 1


class _StartsServerOnFirstSleep(FakeClock):
    """A fake clock whose first backoff brings the (until then absent) server up."""

    def __init__(self, sim: Simulator) -> None:
        super().__init__()
        self.sim = sim

    async def sleep(self, seconds: float) -> None:
        if not self.sim.serving:
            await anyio.to_thread.run_sync(self.sim.start)
        await super().sleep(seconds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.anyio
async def test_post_is_retried_when_it_could_not_connect(anyio_backend: str) -> None:
    port = _free_port()
    sim = Simulator(servers=3, port=port)
    tag = sim.tags[0]
    clock = _StartsServerOnFirstSleep(sim)
    try:
        async with NovoServe(
            "k", "s", base_url=f"http://127.0.0.1:{port}", clock=clock, max_retries=2
        ) as ns:
            await ns.os_installs.install(tag, sim.server(tag).profile.os_ids[0])
        assert len(clock.sleeps) == 1
        assert sim.request_count("POST", "/os-install/{tag}") == 1
        assert len(sim.server(tag).installs) == 1
    finally:
        sim.stop()


# -- Retry-After and 429 pauses ---------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_the_wait_before_the_next_attempt(
    ns: NovoServe, sim: Simulator, tag: str, status: int, novoserve_clock: FakeClock
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(1, status=status, retry_after=7)
    await ns.servers.get(tag)
    assert novoserve_clock.sleeps == [7.0]
    assert sim.request_count("GET", "/servers/{tag}") == 2


@pytest.mark.asyncio
@pytest.mark.novoserve_client(retry_policy=RetryPolicy(max_retry_after=30))
async def test_a_retry_after_beyond_the_limit_raises_at_once(
    ns: NovoServe, sim: Simulator, tag: str, novoserve_clock: FakeClock
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(1, status=429, retry_after=120)
    with pytest.raises(RateLimitError) as caught:
        await ns.servers.get(tag)
    assert caught.value.retry_after == 120
    assert novoserve_clock.sleeps == []
    assert sim.request_count("GET", "/servers/{tag}") == 1


@pytest.mark.asyncio
@pytest.mark.novoserve_client(max_retries=0)
async def test_a_429_pauses_the_whole_client(
    ns: NovoServe, sim: Simulator, tag: str, novoserve_clock: FakeClock
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(1, status=429, retry_after=5)
    with pytest.raises(RateLimitError):
        await ns.servers.get(tag)
    assert novoserve_clock.sleeps == []
    # Another endpoint, another call: it waits out the pause before it is sent.
    await ns.rdns.list(tag)
    assert novoserve_clock.sleeps == [5.0]


@pytest.mark.asyncio
@pytest.mark.novoserve_client(max_retries=20)
async def test_a_server_side_token_bucket_is_obeyed_through_retry_after(
    ns: NovoServe, sim: Simulator, novoserve_clock: FakeClock
) -> None:
    # The server's bucket runs on the client's fake clock: every wait the client honours
    # refills it, so the whole exchange is deterministic and instant.
    sim.faults.rate_limit = RateLimit(
        rate=2, burst=3, whole_seconds=False, clock=novoserve_clock.monotonic
    )
    results = [await ns.servers.get(tag) for tag in sim.tags[:10]]
    assert len(results) == 10
    sent = sim.request_count("GET", "/servers/{tag}")
    assert sent > 10  # some were turned away with 429...
    assert sum(novoserve_clock.sleeps) == pytest.approx((10 - 3) / 2)  # ...and waited just enough


@pytest.mark.asyncio
async def test_a_client_side_rate_limit_avoids_server_429s(
    sim: Simulator, novoserve_clock: FakeClock
) -> None:
    sim.faults.rate_limit = RateLimit(rate=5, burst=1, clock=novoserve_clock.monotonic)
    async with NovoServe(
        *sim.credentials,
        base_url=sim.base_url,
        rate_limit=5,
        clock=novoserve_clock,
        max_retries=0,
    ) as ns:
        for tag in sim.tags[:10]:
            await ns.servers.get(tag)
    assert sim.request_count("GET", "/servers/{tag}") == 10


# -- random faults at scale -------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.novoserve_simulator(
    servers=40, seed=5, faults=Faults(error_rates={503: 0.15, 502: 0.05}, reset_rate=0.05)
)
@pytest.mark.novoserve_client(max_retries=8)
async def test_a_fleet_read_survives_random_errors_and_resets(
    ns: NovoServe, sim: Simulator
) -> None:
    async with anyio.create_task_group() as group:
        for tag in sim.tags:
            group.start_soon(ns.client_state.get, tag)
    for tag in sim.tags:
        assert sim.request_count("GET", "/client-state/{tag}", tag=tag) >= 1
    assert sim.request_count("GET", "/client-state/{tag}") > len(sim.tags)


@pytest.mark.anyio
@pytest.mark.novoserve_client(max_retries=3)
async def test_retry_rules_hold_on_trio_too(ns: NovoServe, sim: Simulator, tag: str) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(1, status=503)
    sim.faults.for_endpoint("GET /servers/{tag}").reset_next(1)
    await ns.servers.get(tag)
    assert sim.request_count("GET", "/servers/{tag}") == 3
    sim.faults.for_endpoint("POST /rdns/{tag}").fail_next(1, status=502)
    with pytest.raises(InternalServerError):
        await ns.rdns.set(tag, sim.server(tag).rdns[0].interface_ip, "x.example.org")
    assert sim.request_count("POST", "/rdns/{tag}") == 1
