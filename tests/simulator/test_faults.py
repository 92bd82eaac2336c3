"""Fault injection: scripted and random errors, rate limits, latency, resets, broken bodies."""

from __future__ import annotations

import json
import time

import anyio
import httpx
import pytest

from novoserve_async.testing import (
    IN_PROCESS_BASE_URL,
    Faults,
    Latency,
    RateLimit,
    Simulator,
    Trickle,
)

from .conftest import AUTH, error, results


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- scripted faults --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fail_next_fails_exactly_that_many_requests_of_the_route(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(2, status=503, retry_after=0)
    first = await client.get(f"/servers/{tag}")
    assert error(first, 503) == "Service Unavailable"
    assert first.headers["retry-after"] == "0"
    results(await client.get(f"/rdns/{tag}"))  # another route is not affected
    error(await client.get(f"/servers/{tag}"), 503)
    results(await client.get(f"/servers/{tag}"))
    assert sim.request_count("GET", "/servers/{tag}") == 3


@pytest.mark.asyncio
async def test_simulator_wide_fail_next_hits_whatever_comes_next(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.fail_next(1, status=502, message="upstream went away")
    assert error(await client.get(f"/rdns/{tag}"), 502) == "upstream went away"
    results(await client.get(f"/rdns/{tag}"))


@pytest.mark.asyncio
async def test_a_routes_script_is_used_before_the_simulator_wide_one(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.fail_next(1, status=500)
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(1, status=504)
    error(await client.get(f"/servers/{tag}"), 504)
    error(await client.get(f"/servers/{tag}"), 500)
    assert sim.faults.pending() == 0


@pytest.mark.asyncio
async def test_an_error_envelope_can_come_with_http_200(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.fail_next(status=200, message="Server is locked")
    assert error(await client.get(f"/servers/{tag}"), 200) == "Server is locked"


@pytest.mark.asyncio
async def test_a_failed_post_did_not_act(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("POST /os-install/{tag}").fail_next(status=503)
    image_id = sim.server(tag).profile.os_ids[0]
    error(await client.post(f"/os-install/{tag}", json={"os": image_id}), 503)
    assert sim.server(tag).installs == []


# -- random errors ----------------------------------------------------------------------


async def _statuses(sim: Simulator, count: int) -> list[int]:
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        return [(await http.get(f"/servers/{sim.tags[0]}")).status_code for _ in range(count)]


@pytest.mark.asyncio
async def test_error_rates_are_random_but_seeded() -> None:
    def make() -> Simulator:
        return Simulator(servers=2, seed=9, faults=Faults(error_rates={503: 0.2, 500: 0.1}))

    first = await _statuses(make(), 300)
    assert first == await _statuses(make(), 300)
    assert 30 < first.count(503) < 90
    assert 10 < first.count(500) < 50
    assert first.count(200) == 300 - first.count(503) - first.count(500)


@pytest.mark.asyncio
async def test_injected_429_and_503_carry_the_configured_retry_after(sim: Simulator) -> None:
    sim.faults.error_rates = {429: 1.0}
    sim.faults.retry_after = 2
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        response = await http.get("/servers/")
    error(response, 429)
    assert response.headers["retry-after"] == "2"


@pytest.mark.asyncio
async def test_a_route_setting_overrides_the_simulator_wide_one(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.error_rates = {500: 1.0}
    sim.faults.for_endpoint("GET /ilo-uid/{tag}").error_rates = {}
    results(await client.get(f"/ilo-uid/{tag}"))
    error(await client.get(f"/servers/{tag}"), 500)


@pytest.mark.asyncio
async def test_set_faults_replaces_a_routes_faults(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.set_faults("get /servers/{tag}", Faults(error_rates={502: 1.0}))
    error(await client.get(f"/servers/{tag}"), 502)
    sim.set_faults("GET /servers/{tag}", Faults())
    results(await client.get(f"/servers/{tag}"))


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown route"):
        Faults().for_endpoint("GET /nowhere/{tag}")
    with pytest.raises(ValueError, match="more than 1"):
        Faults(error_rates={500: 0.6, 503: 0.6})
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(reset_rate=1.5)
    with pytest.raises(ValueError, match="HTTP status"):
        Faults().fail_next(status=99)
    with pytest.raises(ValueError, match="rate"):
        RateLimit(rate=0)


@pytest.mark.asyncio
async def test_clear_switches_every_fault_off(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.error_rates = {500: 1.0}
    sim.faults.for_endpoint("GET /servers/{tag}").fail_next(3)
    sim.faults.clear()
    results(await client.get(f"/servers/{tag}"))


# -- rate limits ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_rate_limit_answers_429_with_retry_after_once_the_burst_is_spent(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    clock = FakeClock()
    sim.faults.rate_limit = RateLimit(rate=2, burst=3, clock=clock)
    for remaining in ("2", "1", "0"):
        response = await client.get(f"/servers/{tag}")
        results(response)
        assert response.headers["x-ratelimit-limit"] == "3"
        assert response.headers["x-ratelimit-remaining"] == remaining
    limited = await client.get(f"/servers/{tag}")
    error(limited, 429)
    assert limited.headers["retry-after"] == "1"  # 0.5 s rounded up to whole seconds
    clock.now += 0.5
    results(await client.get(f"/servers/{tag}"))
    error(await client.get(f"/servers/{tag}"), 429)
    assert sim.request_count("GET", "/servers/{tag}") == 6


@pytest.mark.asyncio
async def test_rate_limit_can_send_fractional_retry_after(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.rate_limit = RateLimit(rate=4, burst=1, whole_seconds=False, clock=FakeClock())
    results(await client.get(f"/servers/{tag}"))
    assert (await client.get(f"/servers/{tag}")).headers["retry-after"] == "0.25"


@pytest.mark.asyncio
async def test_a_routes_rate_limit_applies_to_that_route_only(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    bucket = RateLimit(rate=1, burst=1, clock=FakeClock())
    sim.faults.for_endpoint("POST /rdns/{tag}").rate_limit = bucket
    ip = sim.server(tag).rdns[0].interface_ip
    body = {"ip": ip, "rdns": "a.example.org"}
    results(await client.post(f"/rdns/{tag}", json=body))
    error(await client.post(f"/rdns/{tag}", json=body), 429)
    for _ in range(5):
        results(await client.get(f"/rdns/{tag}"))


# -- latency ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fixed_latency_delays_answers(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").latency = 0.03
    started = time.perf_counter()
    results(await client.get(f"/servers/{tag}"))
    assert time.perf_counter() - started >= 0.03
    started = time.perf_counter()
    results(await client.get(f"/rdns/{tag}"))
    assert time.perf_counter() - started < 0.03


def test_latency_distributions_draw_from_the_seeded_generator() -> None:
    import random

    uniform = Latency.uniform(0.01, 0.02)
    draws = [uniform(random.Random(1)) for _ in range(3)]
    assert len(set(draws)) == 1
    assert 0.01 <= draws[0] <= 0.02
    exponential = Latency.exponential(0.005)
    assert all(value >= 0 for value in (exponential(random.Random(n)) for n in range(50)))
    assert Latency.normal(0.0, 1.0)(random.Random(2)) >= 0


@pytest.mark.asyncio
async def test_a_latency_callable_gets_the_simulators_generator(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    calls: list[object] = []

    def latency(rng: object) -> float:
        calls.append(rng)
        return 0.0

    sim.faults.latency = latency
    results(await client.get(f"/servers/{tag}"))
    assert len(calls) == 1
    assert hasattr(calls[0], "random")


@pytest.mark.asyncio
async def test_a_slow_request_does_not_hold_up_others(
    socket_client: httpx.AsyncClient, served: Simulator, tag: str
) -> None:
    served.faults.for_endpoint("GET /health-check/ilo/{tag}").delay_next(0.3)
    finished: list[str] = []

    async def fetch(path: str) -> None:
        results(await socket_client.get(path))
        finished.append(path)

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        group.start_soon(fetch, f"/health-check/ilo/{tag}")
        await anyio.sleep(0.01)
        group.start_soon(fetch, f"/servers/{tag}")
    assert finished == [f"/servers/{tag}", f"/health-check/ilo/{tag}"]
    assert time.perf_counter() - started >= 0.3


@pytest.mark.asyncio
async def test_delay_next_makes_a_client_time_out_over_a_socket(
    socket_client: httpx.AsyncClient, served: Simulator, tag: str
) -> None:
    served.faults.delay_next(0.2)
    with pytest.raises(httpx.ReadTimeout):
        await socket_client.get(f"/servers/{tag}", timeout=0.05)
    results(await socket_client.get(f"/servers/{tag}"))
    assert served.request_count("GET", "/servers/{tag}") == 2


# -- resets -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_reset_in_process_is_a_read_error(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").reset_next()
    with pytest.raises(httpx.ReadError):
        await client.get(f"/servers/{tag}")
    results(await client.get(f"/servers/{tag}"))


@pytest.mark.asyncio
async def test_a_reset_over_a_socket_drops_the_connection_without_a_response(
    socket_client: httpx.AsyncClient, served: Simulator, tag: str
) -> None:
    served.faults.reset_next()
    with pytest.raises(httpx.ReadError):
        await socket_client.get(f"/servers/{tag}")
    results(await socket_client.get(f"/servers/{tag}"))
    assert served.request_count("GET", "/servers/{tag}") == 2


@pytest.mark.asyncio
async def test_a_reset_post_took_effect_before_the_connection_dropped(
    socket_client: httpx.AsyncClient, served: Simulator, tag: str
) -> None:
    served.faults.for_endpoint("POST /rdns/{tag}").reset_next()
    ip = served.server(tag).rdns[0].interface_ip
    with pytest.raises(httpx.TransportError):
        await socket_client.post(f"/rdns/{tag}", json={"ip": ip, "rdns": "gone.example.org"})
    assert served.server(tag).rdns[0].rdns == "gone.example.org"


@pytest.mark.asyncio
async def test_reset_rate_drops_connections_at_random(sim: Simulator, tag: str) -> None:
    sim.faults.reset_rate = 0.5
    outcomes = []
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        for _ in range(60):
            try:
                outcomes.append((await http.get(f"/servers/{tag}")).status_code)
            except httpx.ReadError:
                outcomes.append(0)
    assert 10 < outcomes.count(0) < 50
    assert outcomes.count(200) == 60 - outcomes.count(0)


# -- broken and slow bodies -------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_malformed_body_is_a_200_with_truncated_json(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.malform_next()
    response = await client.get(f"/servers/{tag}")
    assert response.status_code == 200
    assert response.content.startswith(b'{"status":"success"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    results(await client.get(f"/servers/{tag}"))


@pytest.mark.asyncio
async def test_malformed_rate_breaks_bodies_at_random(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.faults.malformed_rate = 1.0
    response = await client.get(f"/servers/{tag}")
    with pytest.raises(json.JSONDecodeError):
        response.json()


@pytest.mark.asyncio
async def test_trickled_bodies_arrive_in_small_pieces_over_a_socket(
    socket_client: httpx.AsyncClient, served: Simulator, tag: str
) -> None:
    whole = (await socket_client.get(f"/servers/{tag}")).content
    served.faults.trickle = Trickle(chunk_size=20, delay=0.002)
    pieces = []
    async with socket_client.stream("GET", f"/servers/{tag}") as response:
        assert response.headers["content-length"] == str(len(whole))
        async for piece in response.aiter_raw():
            pieces.append(piece)
    assert b"".join(pieces) == whole
    assert len(pieces) >= len(whole) // 20 // 2


# -- counting ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_requests_are_counted_per_method_route_and_tag(
    client: httpx.AsyncClient, sim: Simulator
) -> None:
    first, second = sim.tags[:2]
    await client.get(f"/servers/{first}")
    await client.get(f"/servers/{first}")
    await client.get(f"/servers/{second}")
    await client.post(f"/rdns/{first}", content=b"nonsense")
    await client.get("/no/such/path")
    assert sim.request_count("GET", "/servers/{tag}") == 3
    assert sim.request_count("get", "/servers/{tag}", tag=first) == 2
    assert sim.request_count("POST", "/rdns/{tag}") == 1
    assert sim.request_count("GET", "/rdns/{tag}") == 0
    assert sim.request_counts() == {
        "GET /servers/{tag}": 3,
        "POST /rdns/{tag}": 1,
        "GET /no/such/path": 1,
    }
    sim.reset_counts()
    assert sim.request_counts() == {}
