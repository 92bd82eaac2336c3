"""The generated fleet: deterministic from the seed, and realistic enough to test against."""

from __future__ import annotations

import collections
import datetime
import ipaddress
import json
import re
from typing import Any

import httpx
import pytest

from novoserve_async.testing import IN_PROCESS_BASE_URL, Simulator

from .conftest import AUTH, results

TAG_DOCUMENTS = (
    "/servers/{tag}",
    "/bandwidth/{tag}?start=1700000000&end=1703000000",
    "/os-install/{tag}",
    "/webiso-installs/{tag}",
    "/rdns/{tag}",
    "/client-state/{tag}",
    "/ilo-uid/{tag}",
    "/health-check/hardware/{tag}",
    "/health-check/ilo/{tag}",
    "/network-info/{tag}",
    "/powerstate/{tag}",
    "/ilo-controls/hardware-profile/{tag}",
    "/ilo-controls/snmp-settings/{tag}",
)


async def fetch_all(sim: Simulator) -> dict[str, Any]:
    documents: dict[str, Any] = {}
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        documents["/servers/"] = results(await http.get("/servers/"))
        for tag in sim.tags:
            for template in TAG_DOCUMENTS:
                path = template.format(tag=tag)
                documents[path] = results(await http.get(path))
    return documents


@pytest.mark.asyncio
async def test_the_same_seed_gives_the_same_fleet() -> None:
    first, second = Simulator(servers=15, seed=42), Simulator(servers=15, seed=42)
    assert first.tags == second.tags
    assert await fetch_all(first) == await fetch_all(second)


@pytest.mark.asyncio
async def test_another_seed_gives_another_fleet() -> None:
    assert Simulator(servers=15, seed=1).tags != Simulator(servers=15, seed=2).tags


def test_tags_look_like_novoserve_tags_and_are_unique() -> None:
    tags = Simulator(servers=500, seed=5).tags
    assert len(set(tags)) == 500
    assert all(re.fullmatch(r"\d{3}-\d{3}", tag) for tag in tags)


@pytest.mark.asyncio
async def test_servers_list_is_the_fleet(client: httpx.AsyncClient, sim: Simulator) -> None:
    assert results(await client.get("/servers/")) == sim.tags


@pytest.mark.asyncio
async def test_locations_spread_over_data_centers_racks_and_units() -> None:
    sim = Simulator(servers=60, seed=0)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        servers = [results(await http.get(f"/servers/{tag}")) for tag in sim.tags]
    locations = [server["location"] for server in servers]
    assert len({loc["dataCenter"] for loc in locations}) >= 3
    assert len({loc["rackId"] for loc in locations}) >= 4
    assert all(isinstance(loc["unit"], int) and 1 <= loc["unit"] <= 42 for loc in locations)
    assert len({(loc["rackId"], loc["unit"]) for loc in locations}) == len(locations)
    rack_names = {loc["rackId"]: loc["rack"] for loc in locations}
    assert all(rack_names[loc["rackId"]] == loc["rack"] for loc in locations)
    assert len({server["hardwareProfile"] for server in servers}) >= 3
    assert all(re.fullmatch(r"\d{3}-\d{3}", server["hardwareProfile"]) for server in servers)


@pytest.mark.asyncio
async def test_bandwidth_defaults_to_35_days_ending_today(
    client: httpx.AsyncClient, tag: str
) -> None:
    document = results(await client.get(f"/bandwidth/{tag}"))
    days = sorted(document["data"])
    today = datetime.datetime.now(datetime.timezone.utc).date()
    assert len(days) == 35
    assert days[-1] == today.isoformat()
    assert days[0] == (today - datetime.timedelta(days=34)).isoformat()


@pytest.mark.asyncio
async def test_bandwidth_monthly_rollups_add_up(client: httpx.AsyncClient, sim: Simulator) -> None:
    for tag in sim.tags[:5]:
        document = results(
            await client.get(f"/bandwidth/{tag}", params={"start": 1700000000, "end": 1710000000})
        )
        sums: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
        for day, traffic in document["data"].items():
            assert traffic["tot"] == pytest.approx(traffic["in"] + traffic["out"])
            month = sums[day[:7]]
            month[0] += traffic["in"]
            month[1] += traffic["out"]
            month[2] += traffic["tot"]
        assert set(document["monthly"]) == set(sums)
        for month, (inbound, outbound, total) in sums.items():
            rollup = document["monthly"][month]
            assert rollup["in"] == pytest.approx(inbound)
            assert rollup["out"] == pytest.approx(outbound)
            assert rollup["tot"] == pytest.approx(total)


@pytest.mark.asyncio
async def test_bandwidth_varies_from_day_to_day_and_server_to_server() -> None:
    sim = Simulator(servers=10, seed=8)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        totals = []
        for tag in sim.tags:
            data = results(await http.get(f"/bandwidth/{tag}"))["data"]
            assert len({day["tot"] for day in data.values()}) > 20
            totals.append(sum(day["tot"] for day in data.values()))
    assert max(totals) > 5 * min(totals)


@pytest.mark.asyncio
async def test_some_servers_have_hardware_issues_of_different_severities() -> None:
    sim = Simulator(servers=80, seed=0)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        health = [results(await http.get(f"/health-check/hardware/{t}")) for t in sim.tags]
    with_issues = [doc for doc in health if doc["issues"]]
    assert 0 < len(with_issues) < len(health)
    severities = {issue["severity"] for doc in with_issues for issue in doc["issues"]}
    assert len(severities) >= 3
    assert severities <= {"0", "1", "2", "3", "4", "5"}
    for doc in health:
        lines = [f"[{i['severity']}] {i['name']}\n" for i in doc["issues"]]
        assert doc["description"] == "".join(lines)
        for issue in doc["issues"]:
            assert isinstance(issue["eventid"], str)
            assert issue["eventid"].isdigit()
            assert isinstance(issue["clock"], int)


@pytest.mark.asyncio
async def test_some_client_states_need_attention() -> None:
    sim = Simulator(servers=80, seed=0)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        rows = [row for t in sim.tags for row in results(await http.get(f"/client-state/{t}"))]
    states = collections.Counter(row["state"] for row in rows)
    assert states["active"] > len(sim.tags) / 2
    assert sum(n for state, n in states.items() if state.startswith("attention_")) >= 3
    for row in rows:
        assert row["ctime"].isdigit()
        assert re.fullmatch(r"\w{3} \w{3} \d\d \d\d:\d\d:\d\d \d{4}", row["ctime-human"])
        assert isinstance(json.loads(row[row["state"]]), dict)


@pytest.mark.asyncio
async def test_attention_hardware_goes_with_serious_hardware_issues() -> None:
    sim = Simulator(servers=80, seed=0)
    for server in sim.servers:
        serious = any(issue.severity >= 3 for issue in server.issues)
        assert (server.client_states[0].state == "attention_hardware") == serious


@pytest.mark.asyncio
async def test_ilo_uid_is_mostly_off_with_some_on_and_blink() -> None:
    sim = Simulator(servers=100, seed=0)
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        uids = collections.Counter([results(await http.get(f"/ilo-uid/{t}")) for t in sim.tags])
    assert set(uids) == {"on", "off", "blink"}
    assert uids["off"] > uids["on"] + uids["blink"]


def _leaves(node: Any) -> list[Any]:
    if isinstance(node, dict):
        if "VALUE" in node:
            return [node]
        return [leaf for child in node.values() for leaf in _leaves(child)]
    if isinstance(node, list):
        return [leaf for child in node for leaf in _leaves(child)]
    return []


@pytest.mark.asyncio
async def test_ilo_health_looks_like_hp_embedded_health(
    client: httpx.AsyncClient, tag: str
) -> None:
    document = results(await client.get(f"/health-check/ilo/{tag}"))
    assert {"FANS", "TEMPERATURE", "POWER_SUPPLIES", "HEALTH_AT_A_GLANCE"} <= set(document)
    fan = document["FANS"]["FAN"][0]
    assert fan["ZONE"] == {"VALUE": "System"}
    assert set(fan) >= {"LABEL", "STATUS", "SPEED"}
    temperature = document["TEMPERATURE"]["TEMP"][0]
    assert temperature["CURRENTREADING"]["UNIT"] == "Celsius"
    assert document["POWER_SUPPLIES"]["SUPPLY"][0]["LABEL"] == {"VALUE": "Power Supply 1"}
    assert len(_leaves(document)) > 30


@pytest.mark.asyncio
async def test_ilo_health_agrees_with_the_hardware_issues() -> None:
    sim = Simulator(servers=200, seed=0)
    checked = 0
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        for server in sim.servers:
            for issue in server.issues:
                if issue.component == "fan" and issue.severity >= 4:
                    doc = results(await http.get(f"/health-check/ilo/{server.tag}"))
                    fan = doc["FANS"]["FAN"][issue.index - 1]
                    assert fan["STATUS"] == {"VALUE": "Failed"}
                    assert doc["HEALTH_AT_A_GLANCE"]["FANS"][0] == {"STATUS": "Failed"}
                    checked += 1
                if issue.component == "psu":
                    doc = results(await http.get(f"/health-check/ilo/{server.tag}"))
                    supply = doc["POWER_SUPPLIES"]["SUPPLY"][issue.index - 1]
                    assert supply["STATUS"] == {"VALUE": "Failed"}
                    checked += 1
    assert checked >= 2


@pytest.mark.asyncio
async def test_os_images_are_keyed_by_id_with_a_cobbler_profile(
    client: httpx.AsyncClient, tag: str
) -> None:
    images = results(await client.get(f"/os-install/{tag}"))
    assert len(images) >= 5
    for image_id, image in images.items():
        assert image["id"] == image_id
        assert image_id.startswith("os-install-")
        assert image["profile"]["name"] == image_id
        assert {"kickstart", "distro", "repos", "uid", "mtime"} <= set(image["profile"])


@pytest.mark.asyncio
async def test_isos_are_offered_with_name_and_url(client: httpx.AsyncClient, tag: str) -> None:
    options = results(await client.get("/webiso-installs/"))
    assert len(options) >= 5
    for iso in options:
        assert iso["url"].startswith("http://webiso.novoserve.com/.installs/")
        assert iso["url"].endswith(iso["name"])
    assert results(await client.get(f"/webiso-installs/{tag}")) == options


@pytest.mark.asyncio
async def test_rdns_has_a_row_per_interface(client: httpx.AsyncClient, sim: Simulator) -> None:
    for tag in sim.tags:
        rows = results(await client.get(f"/rdns/{tag}"))
        names = [row["interfacename"] for row in rows]
        assert names[0] == "OS"
        assert names[-1] == "ILO"
        for row in rows:
            address = ipaddress.ip_address(row["interfaceip"])
            assert 0 < row["parentnetmask"] <= (32 if address.version == 4 else 128)
            assert isinstance(row["vlan"], int)
            assert row["vlandescription"]
            assert row["rdns"]


@pytest.mark.asyncio
async def test_network_info_matches_the_primary_interface(
    client: httpx.AsyncClient, sim: Simulator
) -> None:
    for tag in sim.tags:
        info = results(await client.get(f"/network-info/{tag}"))
        primary = results(await client.get(f"/rdns/{tag}"))[0]
        assert info["ip"] == primary["interfaceip"]
        network = ipaddress.IPv4Network(f"{info['ip']}/{info['subnet']}", strict=False)
        assert network.prefixlen == primary["parentnetmask"]
        assert ipaddress.IPv4Address(info["gateway"]) in network


def test_a_large_fleet_is_generated_quickly() -> None:
    import time

    started = time.perf_counter()
    sim = Simulator(servers=2000, seed=1)
    assert len(sim.tags) == 2000
    assert time.perf_counter() - started < 2
