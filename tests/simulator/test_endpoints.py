"""Each endpoint of the simulator: answers, state changes and the errors the real API sends."""

from __future__ import annotations

import json

import httpx
import pytest

from novoserve_async.testing import IN_PROCESS_BASE_URL, ROUTE_KEYS, Simulator

from .conftest import AUTH, error, results

ILO_RESOURCES = (
    "firmware-version",
    "global-settings",
    "hardware-profile",
    "network-settings",
    "pending-boot-mode",
    "power-profile",
    "powerstate",
    "pxe-once",
    "snmp-settings",
    "tpm-status",
)

GET_PATHS = (
    "/servers/",
    "/servers/{tag}",
    "/bandwidth/{tag}",
    "/os-install/{tag}",
    "/webiso-installs/",
    "/webiso-installs/{tag}",
    "/rdns/{tag}",
    "/client-state/{tag}",
    "/ilo-uid/{tag}",
    "/ilo-controls/firmware-version/{tag}",
    "/health-check/hardware/{tag}",
    "/health-check/ilo/{tag}",
    "/network-info/{tag}",
    "/powerstate/{tag}",
)


def test_every_documented_and_extra_route_is_served() -> None:
    assert len(ROUTE_KEYS) == 20
    assert "GET /webiso-installs/{tag}" in ROUTE_KEYS
    assert "GET /network-info/{tag}" in ROUTE_KEYS
    assert not any("installs_" in key or "\u200b" in key for key in ROUTE_KEYS)


@pytest.mark.asyncio
@pytest.mark.parametrize("path", GET_PATHS)
async def test_get_endpoints_answer_in_the_success_envelope(
    client: httpx.AsyncClient, tag: str, path: str
) -> None:
    response = await client.get(path.format(tag=tag))
    assert response.headers["content-type"] == "application/json"
    assert results(response) is not None


@pytest.mark.asyncio
async def test_without_the_envelope_bodies_are_bare(sim: Simulator, tag: str) -> None:
    sim.envelope = False
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        assert (await http.get(f"/servers/{tag}")).json()["hardwareProfile"]
        assert (await http.get(f"/ilo-uid/{tag}")).json() in ("on", "off", "blink")
        failed = await http.get("/servers/000-000")
        assert failed.json() == {"status": "error", "results": "Server 000-000 not found"}


@pytest.mark.asyncio
async def test_bare_routes_skip_the_envelope(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    sim.bare_routes.add("GET /ilo-uid/{tag}")
    assert (await client.get(f"/ilo-uid/{tag}")).json() == sim.server(tag).ilo_uid
    assert (await client.get(f"/servers/{tag}")).json()["status"] == "success"


@pytest.mark.asyncio
@pytest.mark.parametrize("resource", ILO_RESOURCES)
async def test_each_ilo_resource_has_a_json_body(
    client: httpx.AsyncClient, tag: str, resource: str
) -> None:
    body = results(await client.get(f"/ilo-controls/{resource}/{tag}"))
    assert isinstance(body, dict)
    assert body


@pytest.mark.asyncio
async def test_unknown_ilo_resource_is_404(client: httpx.AsyncClient, tag: str) -> None:
    assert "virtual-media" in error(await client.get(f"/ilo-controls/virtual-media/{tag}"), 404)


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/servers/{tag}", "/rdns/{tag}", "/health-check/ilo/{tag}"])
async def test_unknown_tag_is_404(client: httpx.AsyncClient, path: str) -> None:
    assert "999-999" in error(await client.get(path.format(tag="999-999")), 404)


@pytest.mark.asyncio
async def test_unknown_path_is_404_and_wrong_method_is_405(
    client: httpx.AsyncClient, tag: str
) -> None:
    error(await client.get(f"/webiso-installs_/{tag}"), 404)
    error(await client.get(f"/servers/{tag}/extra"), 404)
    response = await client.put(f"/rdns/{tag}", json={})
    error(response, 405)
    assert response.headers["allow"] == "GET, POST"


@pytest.mark.asyncio
async def test_trailing_slashes_are_tolerated(client: httpx.AsyncClient, tag: str) -> None:
    assert results(await client.get("/servers"))
    assert results(await client.get(f"/servers/{tag}/"))


# -- bandwidth parameters ---------------------------------------------------------------


@pytest.mark.asyncio
async def test_bandwidth_period_sets_the_number_of_days(
    client: httpx.AsyncClient, tag: str
) -> None:
    data = results(await client.get(f"/bandwidth/{tag}", params={"period": 7}))["data"]
    assert len(data) == 7


@pytest.mark.asyncio
async def test_bandwidth_start_and_end_select_utc_days(client: httpx.AsyncClient, tag: str) -> None:
    # 2024-01-01T00:00:00Z .. 2024-01-10T23:59:59Z
    params = {"start": 1704067200, "end": 1704931199}
    data = results(await client.get(f"/bandwidth/{tag}", params=params))["data"]
    assert sorted(data) == [f"2024-01-{day:02d}" for day in range(1, 11)]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "params",
    [{"period": 0}, {"period": "week"}, {"start": "x"}, {"start": 1704931199, "end": 1704067200}],
)
async def test_bad_bandwidth_parameters_are_400(
    client: httpx.AsyncClient, tag: str, params: dict[str, object]
) -> None:
    error(await client.get(f"/bandwidth/{tag}", params=params), 400)


# -- OS installs ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_os_install_puts_the_server_into_an_install_state(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    image_id = next(iter(results(await client.get(f"/os-install/{tag}"))))
    answer = results(await client.post(f"/os-install/{tag}", json={"os": image_id}))
    assert answer["state"] == "installing"
    assert answer["os"] == image_id

    (state,) = results(await client.get(f"/client-state/{tag}"))
    assert state["state"] == "installing"
    assert json.loads(state["installing"])["os"] == image_id
    assert [record.os_id for record in sim.server(tag).installs] == [image_id]
    pxe = results(await client.get(f"/ilo-controls/pxe-once/{tag}"))
    assert pxe["PXE_ONCE"] == {"VALUE": "Y"}


@pytest.mark.asyncio
async def test_a_second_install_while_installing_is_409(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    image_id = sim.server(tag).profile.os_ids[0]
    results(await client.post(f"/os-install/{tag}", json={"os": image_id}))
    error(await client.post(f"/os-install/{tag}", json={"os": image_id}), 409)
    assert len(sim.server(tag).installs) == 1


@pytest.mark.asyncio
async def test_finish_install_makes_the_server_active_again(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    image_id = sim.server(tag).profile.os_ids[-1]
    results(await client.post(f"/os-install/{tag}", json={"os": image_id}))
    sim.finish_install(tag)
    (state,) = results(await client.get(f"/client-state/{tag}"))
    assert state["state"] == "active"
    assert json.loads(state["active"])["os"] == image_id.removeprefix("os-install-")
    results(await client.post(f"/os-install/{tag}", json={"os": image_id}))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"os": "os-install-Ubuntu2204"', "Malformed JSON"),
        (b"", "Malformed JSON"),
        (b'["os-install-Ubuntu2204"]', "JSON object"),
        (b"{}", "'os'"),
        (b'{"os": 7}', "'os'"),
        (b'{"os": "os-install-MS-DOS"}', "os-install-MS-DOS"),
    ],
)
async def test_bad_install_bodies_are_400_and_change_nothing(
    client: httpx.AsyncClient, sim: Simulator, tag: str, body: bytes, message: str
) -> None:
    response = await client.post(f"/os-install/{tag}", content=body)
    assert message in error(response, 400)
    assert sim.server(tag).installs == []


# -- reverse DNS ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_setting_rdns_changes_that_row(client: httpx.AsyncClient, tag: str) -> None:
    rows = results(await client.get(f"/rdns/{tag}"))
    ip = rows[0]["interfaceip"]
    answer = results(await client.post(f"/rdns/{tag}", json={"ip": ip, "rdns": "mail.example.org"}))
    assert answer["interfaceip"] == ip
    assert answer["rdns"] == "mail.example.org"
    after = results(await client.get(f"/rdns/{tag}"))
    assert after[0]["rdns"] == "mail.example.org"
    assert after[1:] == rows[1:]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ip": "10.255.255.1", "rdns": "host.example.org"}, "not assigned"),
        ({"ip": "not-an-ip", "rdns": "host.example.org"}, "Invalid IP"),
        ({"ip": "{ip}", "rdns": "bad host!"}, "Invalid hostname"),
        ({"ip": "{ip}"}, "'rdns'"),
    ],
)
async def test_bad_rdns_requests_are_400(
    client: httpx.AsyncClient, sim: Simulator, tag: str, body: dict[str, str], message: str
) -> None:
    ip = sim.server(tag).rdns[0].interface_ip
    before = sim.server(tag).rdns[0].rdns
    payload = {key: value.format(ip=ip) for key, value in body.items()}
    assert message in error(await client.post(f"/rdns/{tag}", json=payload), 400)
    assert sim.server(tag).rdns[0].rdns == before


# -- power, console, web ISO ------------------------------------------------------------


@pytest.mark.asyncio
async def test_power_actions_change_the_power_state(client: httpx.AsyncClient, tag: str) -> None:
    for action, state in [("poweroff", "off"), ("poweron", "on"), ("poweroff", "off")]:
        answer = results(await client.post(f"/powerstate/{tag}", json={"action": action}))
        assert answer["powerstate"] == state
        assert results(await client.get(f"/powerstate/{tag}")) == {"powerstate": state}
    results(await client.post(f"/powerstate/{tag}", json={"action": "coldboot"}))
    assert results(await client.get(f"/ilo-controls/powerstate/{tag}")) == {
        "HOST_POWER": {"VALUE": "ON"}
    }


@pytest.mark.asyncio
async def test_a_bad_power_action_is_400(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    error(await client.post(f"/powerstate/{tag}", json={"action": "explode"}), 400)
    assert sim.server(tag).power_actions == []


@pytest.mark.asyncio
async def test_console_url_for_a_valid_remote_ip(client: httpx.AsyncClient, tag: str) -> None:
    answer = results(await client.post(f"/console-url/{tag}", json={"remoteIp": "203.0.113.9"}))
    assert answer["url"].startswith("https://")
    assert answer["remoteIp"] == "203.0.113.9"
    error(await client.post(f"/console-url/{tag}", json={"remoteIp": "300.1.1.1"}), 400)


@pytest.mark.asyncio
async def test_mounting_and_unmounting_an_iso(
    client: httpx.AsyncClient, sim: Simulator, tag: str
) -> None:
    iso = results(await client.get("/webiso-installs/"))[1]
    results(await client.post(f"/webiso-installs/{tag}", json={"url": iso["url"]}))
    mounted = sim.server(tag).mounted_iso
    assert mounted is not None
    assert mounted.url == iso["url"]
    assert results(await client.delete(f"/webiso-installs/{tag}"))["name"] == iso["name"]
    assert sim.server(tag).mounted_iso is None
    assert results(await client.delete(f"/webiso-installs/{tag}"))["name"] is None


@pytest.mark.asyncio
async def test_mounting_an_unknown_iso_is_400(client: httpx.AsyncClient, tag: str) -> None:
    response = await client.post(
        f"/webiso-installs/{tag}", json={"url": "http://evil.example/x.iso"}
    )
    error(response, 400)


# -- credentials ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_any_credentials_are_accepted_by_default(sim: Simulator, tag: str) -> None:
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=("who", "ever")
    ) as http:
        results(await http.get(f"/servers/{tag}"))


@pytest.mark.asyncio
async def test_requests_without_credentials_are_401(sim: Simulator, tag: str) -> None:
    async with httpx.AsyncClient(transport=sim.transport(), base_url=IN_PROCESS_BASE_URL) as http:
        response = await http.get(f"/servers/{tag}")
        error(response, 401)
        assert response.headers["www-authenticate"].startswith("Basic")
        bad = await http.get(f"/servers/{tag}", headers={"Authorization": "Basic !!!"})
        error(bad, 401)


@pytest.mark.asyncio
async def test_configured_credentials_reject_others_with_401() -> None:
    sim = Simulator(servers=3, api_key="k1", api_secret="s1")
    tag = sim.tags[0]
    for auth, status in [(("k1", "s1"), 200), (("k1", "nope"), 401), (("k2", "s1"), 401)]:
        async with httpx.AsyncClient(
            transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=auth
        ) as http:
            assert (await http.get(f"/servers/{tag}")).status_code == status
    assert sim.credentials == ("k1", "s1")


def test_a_key_without_a_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        Simulator(servers=1, api_key="k1")


@pytest.mark.asyncio
async def test_a_tag_restriction_gives_403_for_other_tags() -> None:
    sim = Simulator(servers=5, seed=1)
    allowed = sim.tags[:2]
    sim = Simulator(servers=5, seed=1, allowed_tags=allowed)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        results(await http.get(f"/servers/{allowed[0]}"))
        assert sim.tags[3] in error(await http.get(f"/servers/{sim.tags[3]}"), 403)
        error(await http.post(f"/rdns/{sim.tags[3]}", json={}), 403)
        assert results(await http.get("/servers/")) == allowed
