"""Every call of the public API, through NovoServe, over a real socket, on asyncio and Trio."""

from __future__ import annotations

import datetime
import ipaddress

import pytest

from novoserve_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    IloResource,
    NotFoundError,
    NovoServe,
    OsImage,
    PermissionDeniedError,
    ResponseValidationError,
    UidState,
)
from novoserve_async.testing import Simulator

pytestmark = pytest.mark.anyio


async def test_servers_list_gives_every_tag(ns: NovoServe, sim: Simulator) -> None:
    assert await ns.servers.list() == sim.tags
    assert sim.request_count("GET", "/servers/") == 1


async def test_servers_get_gives_the_location(ns: NovoServe, sim: Simulator, tag: str) -> None:
    server = await ns.servers.get(tag)
    expected = sim.server(tag)
    assert server.hardware_profile == expected.profile.id
    assert server.location.data_center == expected.data_center.name
    assert server.location.rack == expected.rack
    assert server.location.unit == expected.unit
    assert server.location.rack_id == expected.rack_id


async def test_bandwidth_get_defaults_to_35_days(ns: NovoServe, tag: str) -> None:
    bandwidth = await ns.bandwidth.get(tag)
    assert len(bandwidth.daily) == 35
    assert sum(t.total for t in bandwidth.daily.values()) == pytest.approx(
        sum(t.total for t in bandwidth.monthly.values())
    )


async def test_bandwidth_get_with_a_period_and_with_start_and_end(ns: NovoServe, tag: str) -> None:
    assert len((await ns.bandwidth.get(tag, period=5)).daily) == 5
    start = datetime.datetime(2024, 2, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(2024, 3, 31, 23, 59, tzinfo=datetime.timezone.utc)
    bandwidth = await ns.bandwidth.get(tag, start=start, end=end)
    assert min(bandwidth.daily) == datetime.date(2024, 2, 1)
    assert max(bandwidth.daily) == datetime.date(2024, 3, 31)
    assert set(bandwidth.monthly) == {"2024-02", "2024-03"}
    february = [t for day, t in bandwidth.daily.items() if day.month == 2]
    assert bandwidth.monthly["2024-02"].inbound == pytest.approx(sum(t.inbound for t in february))


async def test_os_installs_list_keeps_the_servers_images(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    images = await ns.os_installs.list(tag)
    assert [image.id for image in images] == list(sim.server(tag).profile.os_ids)
    assert all(image.profile["name"] == image.id for image in images)


async def test_os_installs_install_starts_an_install(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    image: OsImage = (await ns.os_installs.list(tag))[0]
    answer = await ns.os_installs.install(tag, image)
    assert answer["state"] == "installing"
    (state,) = await ns.client_state.get(tag)
    assert state.state == "installing"
    assert state.details["os"] == image.id
    assert [record.os_id for record in sim.server(tag).installs] == [image.id]
    assert sim.request_count("POST", "/os-install/{tag}") == 1


async def test_os_installs_install_of_an_unknown_image_is_a_bad_request(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    with pytest.raises(BadRequestError, match="os-install-Plan9"):
        await ns.os_installs.install(tag, "os-install-Plan9")
    assert sim.server(tag).installs == []


async def test_webiso_list_and_options(ns: NovoServe, tag: str) -> None:
    options = await ns.webiso.options()
    assert len(options) >= 5
    assert await ns.webiso.list(tag) == options
    assert all(iso.url.endswith(iso.name) for iso in options)


async def test_webiso_mount_and_unmount(ns: NovoServe, sim: Simulator, tag: str) -> None:
    iso = (await ns.webiso.options())[2]
    await ns.webiso.mount(tag, iso)
    mounted = sim.server(tag).mounted_iso
    assert mounted is not None
    assert mounted.url == iso.url
    await ns.webiso.unmount(tag)
    assert sim.server(tag).mounted_iso is None


async def test_rdns_list_and_set(ns: NovoServe, tag: str) -> None:
    rows = await ns.rdns.list(tag)
    assert rows[0].interface_name == "OS"
    await ns.rdns.set(tag, rows[0].interface_ip, "www.example.org")
    after = await ns.rdns.list(tag)
    assert after[0].rdns == "www.example.org"
    assert after[1:] == rows[1:]


async def test_rdns_set_for_an_address_of_another_server_is_a_bad_request(
    ns: NovoServe, tag: str
) -> None:
    with pytest.raises(BadRequestError, match="not assigned"):
        await ns.rdns.set(tag, "192.0.2.1", "www.example.org")


async def test_client_state_get(ns: NovoServe, sim: Simulator, tag: str) -> None:
    (state,) = await ns.client_state.get(tag)
    expected = sim.server(tag).client_states[0]
    assert state.id == tag
    assert state.state == expected.state
    assert state.ctime == datetime.datetime.fromtimestamp(expected.ctime, datetime.timezone.utc)
    assert state.details == dict(expected.details)


async def test_ilo_uid(ns: NovoServe, sim: Simulator) -> None:
    for tag in sim.tags[:5]:
        assert await ns.ilo.uid(tag) == UidState(sim.server(tag).ilo_uid)


async def test_ilo_control_of_each_resource(ns: NovoServe, sim: Simulator, tag: str) -> None:
    for resource in IloResource:
        document = await ns.ilo.control(tag, resource)
        assert isinstance(document, dict)
        assert document
    power = sim.server(tag).power.upper()
    assert await ns.ilo.control(tag, "powerstate") == {"HOST_POWER": {"VALUE": power}}
    assert sim.request_count("GET", "/ilo-controls/{resource}/{tag}") == 11


async def test_health_hardware_matches_the_simulated_issues(ns: NovoServe, sim: Simulator) -> None:
    for server in sim.servers:
        health = await ns.health.hardware(server.tag)
        assert [issue.event_id for issue in health.issues] == [i.event_id for i in server.issues]
        assert [int(issue.severity) for issue in health.issues] == [
            i.severity for i in server.issues
        ]


async def test_health_ilo_reports_degraded_subsystems(ns: NovoServe, sim: Simulator) -> None:
    for server in sim.servers:
        health = await ns.health.ilo(server.tag)
        assert len(health.fans) == server.profile.fans
        assert len(health.power_supplies) == server.profile.power_supplies
        serious_fan = any(i.component == "fan" and i.severity >= 2 for i in server.issues)
        assert ("FANS" in health.degraded) == serious_fan


async def test_network_info(ns: NovoServe, sim: Simulator, tag: str) -> None:
    info = await ns.network.info(tag)
    assert info.ip == sim.server(tag).primary.ip
    assert ipaddress.ip_address(str(info.gateway)) in sim.server(tag).primary.network


async def test_power_status_and_actions(ns: NovoServe, sim: Simulator, tag: str) -> None:
    assert await ns.power.status(tag) == {"powerstate": sim.server(tag).power}
    await ns.power.off(tag)
    assert await ns.power.status(tag) == {"powerstate": "off"}
    await ns.power.on(tag)
    await ns.power.reset(tag)
    await ns.power.cold_boot(tag)
    assert sim.server(tag).power_actions == ["poweroff", "poweron", "reset", "coldboot"]
    assert sim.request_count("POST", "/powerstate/{tag}") == 4


async def test_console_url(ns: NovoServe, tag: str) -> None:
    answer = await ns.console.url(tag, "198.51.100.7")
    assert answer["url"].startswith("https://")
    assert answer["remoteIp"] == "198.51.100.7"


# -- errors the API sends ---------------------------------------------------------------


async def test_an_unknown_tag_is_not_found(ns: NovoServe) -> None:
    with pytest.raises(NotFoundError) as caught:
        await ns.servers.get("999-999")
    assert caught.value.tag == "999-999"


@pytest.mark.novoserve_simulator(servers=4, api_key="right-key", api_secret="right-secret")
@pytest.mark.novoserve_client(api_secret="wrong-secret")
async def test_wrong_credentials_are_an_authentication_error(
    novoserve_simulator: Simulator, novoserve_clock: object
) -> None:
    async with NovoServe(
        "right-key", "wrong-secret", base_url=novoserve_simulator.base_url
    ) as client:
        with pytest.raises(AuthenticationError):
            await client.servers.list()
        assert "wrong-secret" not in repr(client)
    assert novoserve_simulator.request_count("GET", "/servers/") == 1


@pytest.mark.novoserve_simulator(servers=6, seed=4, allowed_tags=["000-000"])
async def test_a_tag_outside_the_keys_restriction_is_permission_denied(
    ns: NovoServe, sim: Simulator
) -> None:
    with pytest.raises(PermissionDeniedError):
        await ns.servers.get(sim.tags[1])
    assert await ns.servers.list() == []


@pytest.mark.novoserve_simulator(servers=3, envelope=False)
async def test_bare_bodies_are_accepted(ns: NovoServe, sim: Simulator, tag: str) -> None:
    assert await ns.servers.list() == sim.tags
    assert (await ns.servers.get(tag)).hardware_profile == sim.server(tag).profile.id
    assert await ns.ilo.uid(tag) == UidState(sim.server(tag).ilo_uid)


async def test_an_error_envelope_with_http_200_is_an_error(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.fail_next(status=200, message="Server is locked by an admin")
    with pytest.raises(APIStatusError, match="locked by an admin"):
        await ns.servers.get(tag)


async def test_a_malformed_body_is_a_response_validation_error(
    ns: NovoServe, sim: Simulator, tag: str
) -> None:
    sim.faults.for_endpoint("GET /servers/{tag}").malform_next()
    with pytest.raises(ResponseValidationError):
        await ns.servers.get(tag)
    assert sim.request_count("GET", "/servers/{tag}") == 1
