"""The retry rules: what is retried, how long the client waits, and what is never sent twice."""

from __future__ import annotations

import email.utils

import httpx
import pytest
import respx

from novoserve_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    FakeClock,
    InternalServerError,
    NovoServe,
    RateLimitError,
    RetryPolicy,
)

from . import payloads
from .conftest import MakeClient

pytestmark = pytest.mark.asyncio

RETRYABLE = [408, 429, 500, 502, 503, 504]
NETWORK_ERRORS = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("connect timed out"),
    httpx.ReadTimeout("read timed out"),
    httpx.ReadError("connection reset by peer"),
    httpx.RemoteProtocolError("server disconnected without sending a response"),
    httpx.PoolTimeout("no connection free"),
]
NOT_SENT_ERRORS = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("connect timed out"),
    httpx.PoolTimeout("no connection free"),
]
MAYBE_SENT_ERRORS = [
    httpx.ReadTimeout("read timed out"),
    httpx.ReadError("connection reset by peer"),
    httpx.RemoteProtocolError("server disconnected without sending a response"),
    httpx.WriteError("broken pipe"),
]


def ok_server() -> httpx.Response:
    return httpx.Response(200, json=payloads.SERVER)


@pytest.mark.parametrize("status", RETRYABLE)
async def test_get_is_retried_on_retryable_status(
    ns: NovoServe, router: respx.MockRouter, status: int
) -> None:
    route = router.get("/servers/123-123").mock(side_effect=[httpx.Response(status), ok_server()])
    server = await ns.servers.get("123-123")
    assert server.hardware_profile == "123-123"
    assert route.call_count == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501])
async def test_get_is_not_retried_on_other_errors(
    ns: NovoServe, router: respx.MockRouter, status: int
) -> None:
    route = router.get("/servers/123-123").respond(status)
    with pytest.raises(APIStatusError):
        await ns.servers.get("123-123")
    assert route.call_count == 1


@pytest.mark.parametrize("error", NETWORK_ERRORS, ids=lambda e: type(e).__name__)
async def test_get_is_retried_on_network_errors(
    ns: NovoServe, router: respx.MockRouter, error: Exception
) -> None:
    route = router.get("/servers/123-123").mock(side_effect=[error, ok_server()])
    await ns.servers.get("123-123")
    assert route.call_count == 2


async def test_get_gives_up_after_max_retries(
    make_client: MakeClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    ns = make_client(max_retries=3)
    route = router.get("/servers/123-123").respond(503)
    with pytest.raises(InternalServerError):
        await ns.servers.get("123-123")
    assert route.call_count == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


async def test_network_error_after_retries_is_a_connection_error(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    ns = make_client(max_retries=2)
    route = router.get("/servers/123-123").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as caught:
        await ns.servers.get("123-123")
    assert route.call_count == 3
    assert caught.value.tag == "123-123"
    assert not caught.value.request_sent


async def test_read_timeout_after_retries_is_a_timeout_error(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    ns = make_client(max_retries=1)
    router.get("/servers/123-123").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        await ns.servers.get("123-123")


async def test_delete_is_retried_like_get(ns: NovoServe, router: respx.MockRouter) -> None:
    route = router.delete("/webiso-installs/123-123").mock(
        side_effect=[httpx.Response(503), httpx.ReadError("reset"), httpx.Response(200, json={})]
    )
    assert await ns.webiso.unmount("123-123") == {}
    assert route.call_count == 3


POSTS = {
    "os_installs.install": (
        "/os-install/123-123",
        lambda ns: ns.os_installs.install("123-123", "os-1"),
    ),
    "rdns.set": ("/rdns/123-123", lambda ns: ns.rdns.set("123-123", "10.0.0.1", "a.example.com")),
    "power.on": ("/powerstate/123-123", lambda ns: ns.power.on("123-123")),
    "power.off": ("/powerstate/123-123", lambda ns: ns.power.off("123-123")),
    "power.reset": ("/powerstate/123-123", lambda ns: ns.power.reset("123-123")),
    "power.cold_boot": ("/powerstate/123-123", lambda ns: ns.power.cold_boot("123-123")),
    "console.url": ("/console-url/123-123", lambda ns: ns.console.url("123-123", "10.0.0.1")),
    "webiso.mount": (
        "/webiso-installs/123-123",
        lambda ns: ns.webiso.mount("123-123", "https://x/y.iso"),
    ),
}


@pytest.mark.parametrize("call", POSTS)
@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_post_that_got_5xx_is_sent_exactly_once(
    ns: NovoServe, router: respx.MockRouter, call: str, status: int
) -> None:
    path, send = POSTS[call]
    route = router.post(path).respond(status)
    with pytest.raises(InternalServerError) as caught:
        await send(ns)
    assert route.call_count == 1
    assert "outcome" in str(caught.value)
    assert "unknown" in str(caught.value)


@pytest.mark.parametrize("call", POSTS)
@pytest.mark.parametrize("error", MAYBE_SENT_ERRORS, ids=lambda e: type(e).__name__)
async def test_post_that_may_have_been_sent_is_sent_exactly_once(
    ns: NovoServe, router: respx.MockRouter, call: str, error: Exception
) -> None:
    path, send = POSTS[call]
    route = router.post(path).mock(side_effect=[error, httpx.Response(200, json={})])
    with pytest.raises(APIConnectionError) as caught:
        await send(ns)
    assert route.call_count == 1
    assert caught.value.request_sent
    assert "unknown" in str(caught.value)


@pytest.mark.parametrize("call", POSTS)
async def test_post_that_got_408_is_not_retried(
    ns: NovoServe, router: respx.MockRouter, call: str
) -> None:
    path, send = POSTS[call]
    route = router.post(path).respond(408)
    with pytest.raises(APIStatusError):
        await send(ns)
    assert route.call_count == 1


@pytest.mark.parametrize("call", POSTS)
@pytest.mark.parametrize("error", NOT_SENT_ERRORS, ids=lambda e: type(e).__name__)
async def test_post_that_never_left_is_retried(
    ns: NovoServe, router: respx.MockRouter, call: str, error: Exception
) -> None:
    path, send = POSTS[call]
    route = router.post(path).mock(side_effect=[error, httpx.Response(200, json={"ok": 1})])
    assert await send(ns) == {"ok": 1}
    assert route.call_count == 2


@pytest.mark.parametrize("call", POSTS)
async def test_post_that_got_429_is_retried_after_the_wait(
    ns: NovoServe, router: respx.MockRouter, clock: FakeClock, call: str
) -> None:
    path, send = POSTS[call]
    route = router.post(path).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(200, json={}),
        ]
    )
    assert await send(ns) == {}
    assert route.call_count == 2
    assert clock.sleeps == [3.0]


async def test_retry_after_seconds_is_the_wait(
    ns: NovoServe, router: respx.MockRouter, clock: FakeClock
) -> None:
    router.get("/servers/123-123").mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "7"}), ok_server()]
    )
    await ns.servers.get("123-123")
    assert clock.sleeps == [7.0]


async def test_retry_after_http_date_is_the_wait(
    ns: NovoServe, router: respx.MockRouter, clock: FakeClock
) -> None:
    when = email.utils.formatdate(clock.time() + 30, usegmt=True)
    router.get("/servers/123-123").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": when}), ok_server()]
    )
    await ns.servers.get("123-123")
    assert clock.sleeps == [pytest.approx(30.0)]


async def test_unreadable_retry_after_falls_back_to_backoff(
    ns: NovoServe, router: respx.MockRouter, clock: FakeClock
) -> None:
    router.get("/servers/123-123").mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "soon"}), ok_server()]
    )
    await ns.servers.get("123-123")
    assert clock.sleeps == [0.5]


async def test_retry_after_beyond_the_limit_raises_at_once(
    make_client: MakeClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    ns = make_client(retry_policy=RetryPolicy(max_retry_after=60.0))
    route = router.get("/servers/123-123").respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitError) as caught:
        await ns.servers.get("123-123")
    assert caught.value.retry_after == 3600.0
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_429_pauses_every_call_of_the_client(
    make_client: MakeClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    ns = make_client(max_retries=0)
    sent_at: list[float] = []

    def respond(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.monotonic())
        if len(sent_at) == 1:
            return httpx.Response(429, headers={"Retry-After": "10"})
        return ok_server()

    router.get(path__regex=r"/servers/\d+-\d+").mock(side_effect=respond)
    with pytest.raises(RateLimitError):
        await ns.servers.get("1-1")
    # Another call, on another server, waits for the pause to end before it is sent.
    await ns.servers.get("2-2")
    assert sent_at == [0.0, 10.0]
    assert clock.sleeps == [10.0]


async def test_429_pause_holds_back_concurrent_calls(
    make_client: MakeClient, router: respx.MockRouter, clock: FakeClock
) -> None:
    import anyio

    ns = make_client(max_concurrency=1)
    sent_at: list[float] = []

    def respond(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.monotonic())
        if len(sent_at) == 1:
            return httpx.Response(429, headers={"Retry-After": "5"})
        return ok_server()

    router.get(path__regex=r"/servers/\d+-\d+").mock(side_effect=respond)
    async with anyio.create_task_group() as tg:
        for i in range(10):
            tg.start_soon(ns.servers.get, f"{i}-{i}")
    assert len(sent_at) == 11
    assert sent_at[0] == 0.0
    assert all(t >= 5.0 for t in sent_at[1:])


async def test_429_without_retry_after_uses_backoff(
    ns: NovoServe, router: respx.MockRouter, clock: FakeClock
) -> None:
    router.get("/servers/123-123").mock(side_effect=[httpx.Response(429), ok_server()])
    await ns.servers.get("123-123")
    assert clock.sleeps == [0.5]
