"""Bad input raises ValueError before anything is sent."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import respx

from novoserve_async import NovoServe

pytestmark = pytest.mark.asyncio

BAD_TAGS = ["", "../etc", "a/b", "a b", "tag\n", "tag\x00", "..", "123-123?x=1", "ü", 123, None]


@pytest.mark.parametrize("tag", BAD_TAGS)
async def test_bad_tag_is_rejected_before_sending(
    ns: NovoServe, router: respx.MockRouter, tag: Any
) -> None:
    calls: list[Callable[[], Awaitable[Any]]] = [
        lambda: ns.servers.get(tag),
        lambda: ns.bandwidth.get(tag),
        lambda: ns.os_installs.list(tag),
        lambda: ns.os_installs.install(tag, "os-install-Ubuntu1804"),
        lambda: ns.webiso.list(tag),
        lambda: ns.webiso.mount(tag, "https://x/y.iso"),
        lambda: ns.webiso.unmount(tag),
        lambda: ns.rdns.list(tag),
        lambda: ns.rdns.set(tag, "10.0.0.1", "a.example"),
        lambda: ns.client_state.get(tag),
        lambda: ns.ilo.uid(tag),
        lambda: ns.ilo.control(tag, "powerstate"),
        lambda: ns.health.hardware(tag),
        lambda: ns.health.ilo(tag),
        lambda: ns.network.info(tag),
        lambda: ns.power.status(tag),
        lambda: ns.power.on(tag),
        lambda: ns.power.cold_boot(tag),
        lambda: ns.console.url(tag, "10.0.0.1"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="tag"):
            await call()
    assert len(router.calls) == 0


@pytest.mark.parametrize("ip", ["10.0.0.256", "not-an-ip", "", "10.0.0.1/24", None])
async def test_rdns_set_rejects_bad_ip(ns: NovoServe, router: respx.MockRouter, ip: Any) -> None:
    with pytest.raises(ValueError, match="ip"):
        await ns.rdns.set("123-123", ip, "host.example.com")
    assert len(router.calls) == 0


@pytest.mark.parametrize(
    "name",
    [
        "",
        "-bad.example",
        "bad-.example",
        "under_score.example",
        "a..b",
        "x" * 64 + ".com",
        "spa ce.com",
        None,
    ],
)
async def test_rdns_set_rejects_bad_host_name(
    ns: NovoServe, router: respx.MockRouter, name: Any
) -> None:
    with pytest.raises(ValueError, match="rdns"):
        await ns.rdns.set("123-123", "10.0.0.1", name)
    assert len(router.calls) == 0


async def test_rdns_set_accepts_fqdn_with_trailing_dot(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.post("/rdns/123-123").respond(json={"status": "success", "results": None})
    assert await ns.rdns.set("123-123", "2001:db8::5", "host.example.com.") is None


@pytest.mark.parametrize("resource", ["power", "POWERSTATE", "", "../x", None])
async def test_ilo_control_rejects_unknown_resource(
    ns: NovoServe, router: respx.MockRouter, resource: Any
) -> None:
    with pytest.raises(ValueError, match="ILO resource"):
        await ns.ilo.control("123-123", resource)
    assert len(router.calls) == 0


@pytest.mark.parametrize("period", [0, -1, 1.5, "7", True])
async def test_bandwidth_rejects_bad_period(
    ns: NovoServe, router: respx.MockRouter, period: Any
) -> None:
    with pytest.raises(ValueError, match="period"):
        await ns.bandwidth.get("123-123", period=period)
    assert len(router.calls) == 0


async def test_bandwidth_rejects_start_after_end(ns: NovoServe, router: respx.MockRouter) -> None:
    start = datetime.datetime(2020, 6, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(ValueError, match="after"):
        await ns.bandwidth.get("123-123", start=start, end=start - datetime.timedelta(days=1))
    with pytest.raises(ValueError, match="start"):
        await ns.bandwidth.get("123-123", start="yesterday")  # type: ignore[arg-type]
    assert len(router.calls) == 0


@pytest.mark.parametrize("remote_ip", ["localhost", "1.2.3", ""])
async def test_console_url_rejects_bad_remote_ip(
    ns: NovoServe, router: respx.MockRouter, remote_ip: str
) -> None:
    with pytest.raises(ValueError, match="remote_ip"):
        await ns.console.url("123-123", remote_ip)
    assert len(router.calls) == 0


@pytest.mark.parametrize("os_arg", ["", "   ", None, 5])
async def test_install_rejects_empty_os(
    ns: NovoServe, router: respx.MockRouter, os_arg: Any
) -> None:
    with pytest.raises(ValueError, match="os"):
        await ns.os_installs.install("123-123", os_arg)
    assert len(router.calls) == 0


@pytest.mark.parametrize("url", ["", "ftp://x/y.iso", "x.iso", None])
async def test_webiso_mount_rejects_bad_url(
    ns: NovoServe, router: respx.MockRouter, url: Any
) -> None:
    with pytest.raises(ValueError, match="url"):
        await ns.webiso.mount("123-123", url)
    assert len(router.calls) == 0
