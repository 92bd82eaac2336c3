"""One command per endpoint: output, --json, confirmation, exit codes."""

from __future__ import annotations

import json

import pytest

from novoserve_async.testing import Simulator

from .conftest import Invoke


def first_tag(sim: Simulator, *, issues: bool | None = None, attention: bool | None = None) -> str:
    for server in sim.servers:
        has_issues = bool(server.issues)
        needs_attention = any(s.state.startswith("attention") for s in server.client_states)
        if issues not in (None, has_issues) or attention not in (None, needs_attention):
            continue
        return server.tag
    pytest.skip("the simulated fleet has no such server")


def test_help_lists_every_command(invoke: Invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in [
        "server", "bandwidth", "health", "ilo-health", "ilo-uid", "ilo", "rdns", "set-rdns",
        "os-images", "install-os", "isos", "client-state", "network", "servers", "scan",
        "power", "console", "iso", "iso-options", "simulate",
    ]:  # fmt: skip
        assert f"  {command} " in result.output


def test_missing_credentials_fail_with_a_clear_message(invoke: Invoke) -> None:
    result = invoke("server", "100-100")
    assert result.exit_code == 2
    assert "NOVOSERVE_API_KEY" in result.stderr
    assert "NOVOSERVE_API_SECRET" in result.stderr


def test_servers_prints_one_tag_per_line(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("servers")
    assert result.exit_code == 0
    assert result.stdout.split() == sim.tags
    assert json.loads(invoke("servers", "--json").stdout) == sim.tags


def test_server(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    result = invoke("server", server.tag)
    assert result.exit_code == 0
    assert server.data_center.name in result.stdout
    data = json.loads(invoke("server", server.tag, "--json").stdout)
    assert data["hardware_profile"] == server.profile.id
    assert data["location"]["rack"] == server.rack


def test_bandwidth_with_period(invoke: Invoke, sim: Simulator) -> None:
    tag = sim.tags[0]
    data = json.loads(invoke("bandwidth", tag, "--period", "7", "--json").stdout)
    assert len(data["daily"]) == 7
    assert set(next(iter(data["daily"].values()))) == {"inbound", "outbound", "total"}
    result = invoke("bandwidth", tag, "--period", "3")
    assert result.exit_code == 0
    assert "Total over 3 days" in result.stdout


def test_health_exits_1_when_there_are_issues(invoke: Invoke, sim: Simulator) -> None:
    sick = first_tag(sim, issues=True)
    result = invoke("health", sick)
    assert result.exit_code == 1
    assert sim.server(sick).issues[0].name[:20] in result.stdout
    data = json.loads(invoke("health", sick, "--json").stdout)
    assert len(data["issues"]) == len(sim.server(sick).issues)

    healthy = first_tag(sim, issues=False)
    result = invoke("health", healthy)
    assert result.exit_code == 0
    assert "no open hardware issues" in result.stdout


def test_ilo_health(invoke: Invoke, sim: Simulator) -> None:
    for tag in sim.tags[:4]:
        result = invoke("ilo-health", tag, "--json")
        assert result.exit_code in (0, 1)
        assert "HEALTH_AT_A_GLANCE" in json.loads(result.stdout)
        human = invoke("ilo-health", tag)
        assert human.exit_code == result.exit_code
        assert "Subsystem" in human.stdout


def test_ilo_uid(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    assert invoke("ilo-uid", server.tag).stdout.strip() == server.ilo_uid
    assert json.loads(invoke("ilo-uid", server.tag, "--json").stdout) == server.ilo_uid


def test_ilo_control_resource(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("ilo", sim.tags[0], "firmware-version", "--json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), dict)
    assert sim.request_count("GET", "/ilo-controls/{resource}/{tag}") == 1


def test_ilo_control_rejects_an_unknown_resource(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("ilo", sim.tags[0], "flux-capacitor")
    assert result.exit_code == 2
    assert sim.request_counts() == {}


def test_rdns(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    data = json.loads(invoke("rdns", server.tag, "--json").stdout)
    assert [row["interface_ip"] for row in data] == [row.interface_ip for row in server.rdns]
    assert invoke("rdns", server.tag).exit_code == 0


def test_set_rdns_asks_first_and_sends_nothing_when_declined(
    invoke: Invoke, sim: Simulator
) -> None:
    server = sim.servers[0]
    ip = server.rdns[0].interface_ip
    result = invoke("set-rdns", server.tag, ip, "mail.example.com", input="n\n")
    assert result.exit_code == 2
    assert "not confirmed" in result.stderr
    no_terminal = invoke("set-rdns", server.tag, ip, "mail.example.com")
    assert no_terminal.exit_code == 2
    assert sim.request_count("POST", "/rdns/{tag}") == 0


def test_set_rdns_when_confirmed(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    ip = server.rdns[0].interface_ip
    result = invoke("set-rdns", server.tag, ip, "mail.example.com", input="y\n")
    assert result.exit_code == 0, result.output
    assert server.rdns[0].rdns == "mail.example.com"
    result = invoke("set-rdns", server.tag, ip, "www.example.com", "--yes", "--json")
    assert result.exit_code == 0
    assert server.rdns[0].rdns == "www.example.com"
    assert sim.request_count("POST", "/rdns/{tag}") == 2


def test_set_rdns_checks_input_before_asking(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("set-rdns", sim.tags[0], "not-an-ip", "mail.example.com", input="y\n")
    assert result.exit_code == 2
    assert "not a valid IPv4 or IPv6 address" in result.stderr
    assert "?" not in result.stderr
    assert sim.request_counts() == {}


def test_os_images_and_install_os(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    images = json.loads(invoke("os-images", server.tag, "--json").stdout)
    image_id = images[0]["id"]
    assert invoke("os-images", server.tag).exit_code == 0

    declined = invoke("install-os", server.tag, image_id, input="n\n")
    assert declined.exit_code == 2
    assert "WIPES" in declined.stderr
    assert server.installs == []

    result = invoke("install-os", server.tag, image_id, "--yes")
    assert result.exit_code == 0, result.output
    assert [install.os_id for install in server.installs] == [image_id]
    assert sim.request_count("POST", "/os-install/{tag}") == 1


def test_isos_and_iso_options(invoke: Invoke, sim: Simulator) -> None:
    offered = json.loads(invoke("iso-options", "--json").stdout)
    assert offered
    assert {"name", "url"} <= set(offered[0])
    for_server = json.loads(invoke("isos", sim.tags[0], "--json").stdout)
    assert for_server == offered
    assert invoke("iso-options").exit_code == 0
    assert invoke("isos", sim.tags[0]).exit_code == 0


def test_iso_mount_and_unmount(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    url = json.loads(invoke("iso-options", "--json").stdout)[0]["url"]
    result = invoke("iso", server.tag, "mount", url)
    assert result.exit_code == 0, result.output
    assert server.mounted_iso is not None
    assert server.mounted_iso.url == url
    result = invoke("iso", server.tag, "unmount", "--json")
    assert result.exit_code == 0
    assert server.mounted_iso is None


def test_iso_mount_needs_a_url_and_unmount_takes_none(invoke: Invoke, sim: Simulator) -> None:
    assert invoke("iso", sim.tags[0], "mount").exit_code == 2
    assert invoke("iso", sim.tags[0], "unmount", "https://x.invalid/a.iso").exit_code == 2
    assert sim.request_counts() == {}


def test_client_state_exits_1_on_attention(invoke: Invoke, sim: Simulator) -> None:
    tag = first_tag(sim, attention=True)
    result = invoke("client-state", tag)
    assert result.exit_code == 1
    assert "attention" in result.stdout
    states = json.loads(invoke("client-state", tag, "--json").stdout)
    assert any(state["state"].startswith("attention") for state in states)
    assert invoke("client-state", first_tag(sim, attention=False)).exit_code == 0


def test_network(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    data = json.loads(invoke("network", server.tag, "--json").stdout)
    assert data["ip"] == str(server.primary.ip)
    assert str(server.primary.ip) in invoke("network", server.tag).stdout


def test_power_status_needs_no_confirmation(invoke: Invoke, sim: Simulator) -> None:
    server = sim.servers[0]
    result = invoke("power", server.tag, "status", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"powerstate": server.power}


@pytest.mark.parametrize(
    ("action", "sent"),
    [("on", "poweron"), ("off", "poweroff"), ("reset", "reset"), ("cold-boot", "coldboot")],
)
def test_power_actions_ask_first(invoke: Invoke, sim: Simulator, action: str, sent: str) -> None:
    server = sim.servers[0]
    declined = invoke("power", server.tag, action)
    assert declined.exit_code == 2
    assert server.power_actions == []
    result = invoke("power", server.tag, action, "--yes")
    assert result.exit_code == 0, result.output
    assert server.power_actions == [sent]


def test_console_prints_the_url(invoke: Invoke, sim: Simulator) -> None:
    tag = sim.tags[0]
    result = invoke("console", tag, "203.0.113.7")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("https://")
    assert tag in result.stdout
    data = json.loads(invoke("console", tag, "203.0.113.7", "--json").stdout)
    assert data["remoteIp"] == "203.0.113.7"
    assert invoke("console", tag, "nope").exit_code == 2


def test_an_api_error_exits_2_with_its_type(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("server", "999-999-999")
    assert result.exit_code == 2
    assert "NotFoundError" in result.stderr
    assert result.stdout == ""


def test_an_invalid_tag_exits_2_and_sends_nothing(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("server", "../etc")
    assert result.exit_code == 2
    assert "invalid server tag" in result.stderr
    assert sim.request_counts() == {}
