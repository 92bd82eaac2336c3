"""``novoserve-async scan``: tag sources, NDJSON, summaries and exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from novoserve_async.fleet import DEFAULT_CHECKS
from novoserve_async.testing import Simulator

from .conftest import Invoke, json_lines


def assert_schema(line: dict[str, Any], checks: tuple[str, ...] | list[str]) -> None:
    assert set(line) == {"tag", "checks", "errors"}
    assert isinstance(line["tag"], str)
    assert set(line["checks"]) | set(line["errors"]) == set(checks)
    assert set(line["checks"]).isdisjoint(line["errors"])
    for error in line["errors"].values():
        assert set(error) == {"type", "message"}
        assert isinstance(error["type"], str)
        assert isinstance(error["message"], str)


def has_problems(line: dict[str, Any]) -> bool:
    checks = line["checks"]
    return bool(
        line["errors"]
        or checks.get("hardware", {}).get("issues")
        or any(s["state"].startswith("attention") for s in checks.get("client_state", []))
    )


def healthy_tags(sim: Simulator) -> list[str]:
    return [
        s.tag
        for s in sim.servers
        if not s.issues and not any(c.state.startswith("attention") for c in s.client_states)
    ]


def test_scan_json_of_the_whole_account(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("scan", "--json")
    lines = json_lines(result.stdout)
    assert sorted(line["tag"] for line in lines) == sorted(sim.tags)
    for line in lines:
        assert_schema(line, DEFAULT_CHECKS)
    assert result.exit_code == (1 if any(has_problems(line) for line in lines) else 0)


def test_scan_tags_file_with_comments_blank_lines_and_an_invalid_tag(
    invoke: Invoke, sim: Simulator, tmp_path: Path
) -> None:
    tags_file = tmp_path / "tags.txt"
    tags_file.write_text(f"# web servers\n{sim.tags[0]}\n\n{sim.tags[1]}  # db\n../etc\n")
    result = invoke("scan", "--tags-file", str(tags_file), "--checks", "server,uid", "--json")
    by_tag = {line["tag"]: line for line in json_lines(result.stdout)}
    assert set(by_tag) == {sim.tags[0], sim.tags[1], "../etc"}
    assert by_tag["../etc"]["errors"]["server"]["type"] == "ValueError"
    assert by_tag[sim.tags[0]]["errors"] == {}
    assert result.exit_code == 1


def test_scan_tags_from_stdin(invoke: Invoke, sim: Simulator) -> None:
    tags = sim.tags[:5]
    result = invoke(
        "scan", "--tags-file", "-", "--checks", "network", "--json", input="\n".join(tags)
    )
    assert sorted(line["tag"] for line in json_lines(result.stdout)) == sorted(tags)
    assert result.exit_code == 0


def test_scan_failures_are_attributed_to_their_tag_and_check(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Simulator(servers=10, seed=5) as full:
        tags = full.tags
    allowed = tags[:7]
    with Simulator(servers=10, seed=5, allowed_tags=allowed) as sim:
        monkeypatch.setenv("NOVOSERVE_API_KEY", "k")
        monkeypatch.setenv("NOVOSERVE_API_SECRET", "s")
        monkeypatch.setenv("NOVOSERVE_BASE_URL", sim.base_url)
        result = invoke("scan", *tags, "--checks", "server,ilo:powerstate", "--json")
    lines = {line["tag"]: line for line in json_lines(result.stdout)}
    assert set(lines) == set(tags)
    for tag in tags:
        errors = lines[tag]["errors"]
        if tag in allowed:
            assert errors == {}
        else:
            assert {e["type"] for e in errors.values()} == {"PermissionDeniedError"}
            assert set(errors) == {"server", "ilo:powerstate"}
    assert result.exit_code == 1


def test_scan_of_healthy_servers_exits_0(invoke: Invoke, sim: Simulator) -> None:
    tags = healthy_tags(sim)[:3]
    assert tags
    result = invoke("scan", *tags, "--checks", "hardware,client_state")
    assert result.exit_code == 0, result.output
    assert f"Scanned {len(tags)} servers" in result.stdout
    assert f"{len(tags)} healthy" in result.stdout


def test_scan_summary_tables(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("scan", "--checks", "all", "--top", "3")
    assert result.exit_code == 1
    out = result.stdout
    assert f"Scanned {len(sim.tags)} servers" in out
    assert "Hardware issues" in out
    assert "Top bandwidth users" in out
    assert "Servers needing attention" in out


def test_scan_fails_with_2_when_the_account_cannot_be_listed(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Simulator(servers=3, api_key="right", api_secret="right") as sim:
        monkeypatch.setenv("NOVOSERVE_API_KEY", "wrong")
        monkeypatch.setenv("NOVOSERVE_API_SECRET", "wrong")
        monkeypatch.setenv("NOVOSERVE_BASE_URL", sim.base_url)
        result = invoke("scan")
    assert result.exit_code == 2
    assert "AuthenticationError" in result.stderr


def test_scan_rejects_unknown_checks(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("scan", "--checks", "hardware,vibes")
    assert result.exit_code == 2
    assert "unknown check 'vibes'" in result.stderr
    assert sim.request_counts() == {}


def test_scan_simulate_needs_no_credentials(invoke: Invoke) -> None:
    result = invoke("scan", "--simulate", "15", "--checks", "hardware,uid", "--json")
    lines = json_lines(result.stdout)
    assert len(lines) == 15
    assert len({line["tag"] for line in lines}) == 15
    assert result.exit_code in (0, 1)


def test_scan_or_simulate_without_credentials_scans_a_simulated_fleet(invoke: Invoke) -> None:
    result = invoke("scan", "--or-simulate", "12", "--checks", "uid", "--json")
    assert len(json_lines(result.stdout)) == 12
    assert "simulated fleet of 12 servers" in result.stderr
    assert result.exit_code in (0, 1)


def test_scan_or_simulate_with_credentials_scans_the_account(
    invoke: Invoke, sim: Simulator
) -> None:
    result = invoke("scan", "--or-simulate", "50", "--checks", "uid", "--json")
    assert sorted(line["tag"] for line in json_lines(result.stdout)) == sorted(sim.tags)
    assert "simulated" not in result.stderr
    assert sim.request_count("GET", "/servers/") == 1


def test_console_script_scan_simulate_json(tmp_path: Path) -> None:
    """The installed entry point, in a subprocess, as a user would run it."""
    script = shutil.which("novoserve-async", path=os.path.dirname(sys.executable))
    assert script is not None, "the novoserve-async console script is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOVOSERVE_")}
    done = subprocess.run(
        [script, "scan", "--simulate", "20", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    lines = json_lines(done.stdout)
    assert len(lines) == 20, done.stderr
    for line in lines:
        assert_schema(line, DEFAULT_CHECKS)
    assert done.returncode == (1 if any(has_problems(line) for line in lines) else 0)
    assert done.stderr == ""


def test_scan_of_an_empty_tag_list_says_so(invoke: Invoke, sim: Simulator) -> None:
    result = invoke("scan", "--tags-file", "-", input="# nothing\n\n")
    assert result.exit_code == 0
    assert "No servers to scan" in result.stderr
    assert sim.request_counts() == {}


def test_scan_takes_tags_from_arguments_or_a_file_not_both(
    invoke: Invoke, sim: Simulator, tmp_path: Path
) -> None:
    tags_file = tmp_path / "tags.txt"
    tags_file.write_text(sim.tags[0])
    assert invoke("scan", sim.tags[1], "--tags-file", str(tags_file)).exit_code == 2
    missing = invoke("scan", "--tags-file", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2
    assert "cannot read the tags file" in missing.stderr
