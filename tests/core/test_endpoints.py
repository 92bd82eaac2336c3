"""Every endpoint: request shape, and decoding of the document's example payloads."""

from __future__ import annotations

import datetime
import ipaddress
import json
from typing import Any

import httpx
import pytest
import respx

from novoserve_async import (
    Bandwidth,
    ClientState,
    HardwareHealth,
    IloResource,
    NovoServe,
    OsImage,
    RdnsEntry,
    Server,
    Severity,
    UidState,
    WebIso,
    to_json_data,
)

from . import payloads
from .conftest import envelope

pytestmark = pytest.mark.asyncio

WRAPS = [pytest.param(lambda p: p, id="bare"), pytest.param(envelope, id="envelope")]


def sent_json(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


@pytest.mark.parametrize("wrap", WRAPS)
async def test_servers_get_decodes_location(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    route = router.get("/servers/123-123").respond(json=wrap(payloads.SERVER))
    server = await ns.servers.get("123-123")
    assert server == Server(
        hardware_profile="123-123",
        location=server.location,
    )
    assert server.location.data_center == "Delft (TDCG)"
    assert server.location.rack == "2.C Row F 10"
    assert server.location.unit == 40
    assert server.location.rack_id == 4411
    request = route.calls.last.request
    assert request.headers["accept"] == "application/json"
    assert request.headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize("wrap", WRAPS)
async def test_bandwidth_get_maps_days_and_months(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/bandwidth/123-123").respond(json=wrap(payloads.BANDWIDTH))
    bandwidth = await ns.bandwidth.get("123-123")
    assert isinstance(bandwidth, Bandwidth)
    assert list(bandwidth.daily) == [datetime.date(2020, 5, 8), datetime.date(2020, 5, 9)]
    day = bandwidth.daily[datetime.date(2020, 5, 8)]
    assert (day.inbound, day.outbound, day.total) == (230.745, 231.232, 461.977)
    assert list(bandwidth.monthly) == ["2020-05", "2020-06"]
    assert bandwidth.monthly["2020-06"].total == 561.977


async def test_bandwidth_sends_only_given_parameters(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    route = router.get("/bandwidth/123-123").respond(json=payloads.BANDWIDTH)
    await ns.bandwidth.get("123-123")
    assert route.calls.last.request.url.query == b""
    await ns.bandwidth.get("123-123", period=7)
    assert dict(route.calls.last.request.url.params) == {"period": "7"}


async def test_bandwidth_sends_start_and_end_as_integer_unix_seconds(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    route = router.get("/bandwidth/123-123").respond(json=payloads.BANDWIDTH)
    start = datetime.datetime(2020, 5, 1, tzinfo=datetime.timezone.utc)
    await ns.bandwidth.get("123-123", start=start, end=1590969600.7)
    assert dict(route.calls.last.request.url.params) == {
        "start": "1588291200",
        "end": "1590969600",
    }


async def test_bandwidth_naive_datetime_is_taken_as_utc(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    route = router.get("/bandwidth/123-123").respond(json=payloads.BANDWIDTH)
    await ns.bandwidth.get("123-123", start=datetime.datetime(2020, 5, 1))
    assert route.calls.last.request.url.params["start"] == "1588291200"


@pytest.mark.parametrize("wrap", WRAPS)
async def test_os_installs_list_keeps_response_order(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/os-install/123-123").respond(json=wrap(payloads.OS_IMAGES))
    images = await ns.os_installs.list("123-123")
    assert [image.id for image in images] == ["os-install-Ubuntu1804", "os-install-Debian12"]
    assert images[0].name == "Ubuntu-18.04"
    assert images[0].profile["kickstart"] == "/var/lib/cobbler/kickstarts/Ubuntu1804.seed"


@pytest.mark.parametrize(
    "os_arg", ["os-install-Ubuntu1804", OsImage(id="os-install-Ubuntu1804", name="Ubuntu-18.04")]
)
async def test_os_installs_install_posts_the_image_id(
    ns: NovoServe, router: respx.MockRouter, os_arg: Any
) -> None:
    route = router.post("/os-install/123-123").respond(json=envelope({"installing": True}))
    result = await ns.os_installs.install("123-123", os_arg)
    assert result == {"installing": True}
    assert sent_json(route) == {"os": "os-install-Ubuntu1804"}
    assert route.calls.last.request.headers["content-type"] == "application/json"


@pytest.mark.parametrize("wrap", WRAPS)
async def test_webiso_list_uses_the_corrected_path(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/webiso-installs/123-123").respond(json=wrap(payloads.WEBISOS))
    isos = await ns.webiso.list("123-123")
    assert isos == [WebIso(name=i["name"], url=i["url"]) for i in payloads.WEBISOS]


async def test_webiso_options_lists_every_image(ns: NovoServe, router: respx.MockRouter) -> None:
    router.get("/webiso-installs/").respond(json=payloads.WEBISOS)
    assert [iso.name for iso in await ns.webiso.options()] == ["CR-CentOS-6.iso", "CR-CentOS-7.iso"]


async def test_webiso_mount_and_unmount(ns: NovoServe, router: respx.MockRouter) -> None:
    mount = router.post("/webiso-installs/123-123").respond(json={"mounted": True})
    unmount = router.delete("/webiso-installs/123-123").respond(json={"mounted": False})
    iso = WebIso(name="x.iso", url="https://isos.example/x.iso")
    assert await ns.webiso.mount("123-123", iso) == {"mounted": True}
    assert sent_json(mount) == {"url": "https://isos.example/x.iso"}
    assert await ns.webiso.unmount("123-123") == {"mounted": False}
    assert unmount.call_count == 1


@pytest.mark.parametrize("wrap", WRAPS)
async def test_rdns_list_renames_wire_fields(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/rdns/123-123").respond(json=wrap(payloads.RDNS))
    assert await ns.rdns.list("123-123") == [
        RdnsEntry(
            interface_name="OS",
            interface_ip="10.3.1.24",
            parent_netmask=24,
            vlan=98,
            vlan_description="Provisioning",
            rdns="1.3.10.in-addr.arpa",
        )
    ]


async def test_rdns_set_posts_ip_and_name(ns: NovoServe, router: respx.MockRouter) -> None:
    route = router.post("/rdns/123-123").respond(json=envelope("ok"))
    assert await ns.rdns.set("123-123", "10.3.1.2", "reverse-dns.novoserve.com") == "ok"
    assert sent_json(route) == {"ip": "10.3.1.2", "rdns": "reverse-dns.novoserve.com"}


@pytest.mark.parametrize("wrap", WRAPS)
async def test_client_state_decodes_time_and_details(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/client-state/123-123").respond(json=wrap(payloads.CLIENT_STATE))
    [state] = await ns.client_state.get("123-123")
    assert isinstance(state, ClientState)
    assert state.id == "999-999"
    assert state.state == "attention_hardware"
    assert state.ctime == datetime.datetime(2020, 5, 20, 13, 41, 54, tzinfo=datetime.timezone.utc)
    assert state.ctime.tzinfo is datetime.timezone.utc
    # The document's placeholder is not JSON: it is kept as text.
    assert state.details == "[JSON data with more informatino about the attention state]"
    assert state.needs_attention


async def test_client_state_details_are_json_decoded_where_json(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    item = dict(payloads.CLIENT_STATE[0], attention_hardware='{"disk": "sda", "smart": "FAILED"}')
    router.get("/client-state/123-123").respond(json=[item])
    [state] = await ns.client_state.get("123-123")
    assert state.details == {"disk": "sda", "smart": "FAILED"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"on", UidState.ON),
        (b'"off"', UidState.OFF),
        (b"blink\n", UidState.BLINK),
        (b'{"status": "success", "results": "blink"}', UidState.BLINK),
    ],
)
async def test_ilo_uid_accepts_bare_text_and_json(
    ns: NovoServe, router: respx.MockRouter, content: bytes, expected: UidState
) -> None:
    router.get("/ilo-uid/123-123").respond(content=content)
    assert await ns.ilo.uid("123-123") is expected


@pytest.mark.parametrize("resource", list(IloResource))
async def test_ilo_control_reads_each_resource(
    ns: NovoServe, router: respx.MockRouter, resource: IloResource
) -> None:
    route = router.get(f"/ilo-controls/{resource.value}/123-123").respond(json={"value": 1})
    assert await ns.ilo.control("123-123", resource) == {"value": 1}
    assert await ns.ilo.control("123-123", resource.value) == {"value": 1}
    assert route.call_count == 2


async def test_ilo_resource_names_follow_their_values() -> None:
    assert len(IloResource) == 10
    for resource in IloResource:
        assert resource.name == resource.value.upper().replace("-", "_")
    assert IloResource.FIRMWARE_VERSION == "firmware-version"


@pytest.mark.parametrize("wrap", WRAPS)
async def test_health_hardware_decodes_issues(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/health-check/hardware/123-123").respond(json=wrap(payloads.HARDWARE_HEALTH))
    health = await ns.health.hardware("123-123")
    assert isinstance(health, HardwareHealth)
    [issue] = health.issues
    assert issue.event_id == "2521234"
    assert issue.clock is None  # 0 means unknown
    assert issue.name == "Fan 0.3: Fan is in warning state"
    assert issue.severity == 2
    assert issue.severity is Severity.WARNING
    assert health.description == "[2] Fan 0.3: Fan is in warning state\n"
    assert health.worst_severity is Severity.WARNING


@pytest.mark.parametrize("wrap", WRAPS)
async def test_health_ilo_keeps_the_document_and_unwraps_values(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/health-check/ilo/123-123").respond(json=wrap(payloads.ILO_HEALTH))
    health = await ns.health.ilo("123-123")
    assert health.document == payloads.ILO_HEALTH
    assert [fan["LABEL"] for fan in health.fans] == ["Fan Block 1", "Fan Block 2"]
    assert health.temperatures[0]["LABEL"] == "01-Inlet Ambient"
    # A leaf with a unit keeps both.
    assert health.temperatures[0]["CURRENTREADING"] == {"VALUE": "21", "UNIT": "Celsius"}
    assert health.power_supplies[0]["STATUS"] == "Good"
    assert health.at_a_glance == {"BIOS_HARDWARE": "OK", "FANS": "Degraded", "TEMPERATURE": "OK"}
    assert health.degraded == {"FANS": "Degraded"}


@pytest.mark.parametrize("wrap", WRAPS)
async def test_network_info_gives_addresses(
    ns: NovoServe, router: respx.MockRouter, wrap: Any
) -> None:
    router.get("/network-info/123-123").respond(json=wrap(payloads.NETWORK_INFO))
    info = await ns.network.info("123-123")
    assert info.ip == ipaddress.IPv4Address("10.3.1.4")
    assert (str(info.ip), str(info.subnet), str(info.gateway)) == (
        "10.3.1.4",
        "255.255.255.0",
        "10.3.1.1",
    )


@pytest.mark.parametrize(
    "body",
    [
        ["1-1", "2-2"],
        [{"id": "1-1"}, {"tag": "2-2"}],
        [{"serverTag": "1-1"}, "2-2"],
        envelope([{"id": "1-1", "name": "web"}, {"serverTag": "2-2"}]),
    ],
)
async def test_servers_list_accepts_strings_and_objects(
    ns: NovoServe, router: respx.MockRouter, body: Any
) -> None:
    router.get("/servers/").respond(json=body)
    assert await ns.servers.list() == ["1-1", "2-2"]


async def test_power_status_and_actions(ns: NovoServe, router: respx.MockRouter) -> None:
    router.get("/powerstate/123-123").respond(json={"powerstate": "on"})
    route = router.post("/powerstate/123-123").respond(json=envelope({"result": "ok"}))
    assert await ns.power.status("123-123") == {"powerstate": "on"}
    actions = []
    for method in (ns.power.on, ns.power.off, ns.power.reset, ns.power.cold_boot):
        assert await method("123-123") == {"result": "ok"}
        actions.append(sent_json(route)["action"])
    assert actions == ["poweron", "poweroff", "reset", "coldboot"]
    assert route.call_count == 4


async def test_console_url_posts_remote_ip(ns: NovoServe, router: respx.MockRouter) -> None:
    route = router.post("/console-url/123-123").respond(json={"url": "https://console/x"})
    assert await ns.console.url("123-123", "2001:db8::1") == {"url": "https://console/x"}
    assert sent_json(route) == {"remoteIp": "2001:db8::1"}


async def test_models_convert_to_json_ready_data(ns: NovoServe, router: respx.MockRouter) -> None:
    router.get("/bandwidth/123-123").respond(json=payloads.BANDWIDTH)
    router.get("/client-state/123-123").respond(json=payloads.CLIENT_STATE)
    router.get("/health-check/hardware/123-123").respond(json=payloads.HARDWARE_HEALTH)
    router.get("/network-info/123-123").respond(json=payloads.NETWORK_INFO)
    router.get("/servers/123-123").respond(json=payloads.SERVER)
    data = to_json_data(
        {
            "bandwidth": await ns.bandwidth.get("123-123"),
            "state": await ns.client_state.get("123-123"),
            "health": await ns.health.hardware("123-123"),
            "network": await ns.network.info("123-123"),
            "server": await ns.servers.get("123-123"),
        }
    )
    assert json.loads(json.dumps(data)) == data
    assert data["bandwidth"]["daily"]["2020-05-08"] == {
        "inbound": 230.745,
        "outbound": 231.232,
        "total": 461.977,
    }
    assert data["state"][0]["ctime"] == "2020-05-20T13:41:54+00:00"
    assert data["health"]["issues"][0]["severity"] == 2
    assert data["network"] == payloads.NETWORK_INFO
    assert data["server"]["location"]["data_center"] == "Delft (TDCG)"


async def test_every_endpoint_row_has_a_resource_method() -> None:
    from novoserve_async._endpoints import ENDPOINTS

    names = {endpoint.name for endpoint in ENDPOINTS}
    assert len(names) == len(ENDPOINTS)
    routes = {endpoint.route for endpoint in ENDPOINTS}
    assert "GET /webiso-installs/{tag}" in routes
    assert "GET /network-info/{tag}" in routes
    assert all("\u200b" not in route and "_/" not in route for route in routes)


async def test_the_simulator_serves_exactly_the_sdk_endpoint_table() -> None:
    # Two tables written apart on purpose (the simulator is an independent oracle of the
    # API's paths); this keeps them from drifting.
    from novoserve_async._endpoints import ENDPOINTS
    from novoserve_async.testing import ROUTE_KEYS

    assert {endpoint.route for endpoint in ENDPOINTS} == ROUTE_KEYS


async def test_the_simulator_serves_exactly_the_sdk_ilo_resources() -> None:
    from novoserve_async.testing._documents import ILO_RESOURCES

    assert set(ILO_RESOURCES) == {resource.value for resource in IloResource}


async def test_user_http_client_is_used_and_left_open(router: respx.MockRouter) -> None:
    router.get("/servers/123-123").respond(json=payloads.SERVER)
    from .conftest import BASE

    async with httpx.AsyncClient() as http_client:
        async with NovoServe("k", "s", base_url=BASE, http_client=http_client) as ns:
            await ns.servers.get("123-123")
        assert not http_client.is_closed
