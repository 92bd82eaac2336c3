"""The fleet summary: problems by kind, top bandwidth users, failures by error type."""

from __future__ import annotations

import pytest

from novoserve_async import Severity, UidState
from novoserve_async.fleet import CheckError, FleetSummary, ScanResult

from .fakeapi import FakeAPI, client_state, hardware

pytestmark = pytest.mark.anyio

TAGS = [f"200-{i}" for i in range(12)]


async def test_summary_of_a_scan() -> None:
    api = FakeAPI(TAGS)
    api.hardware["200-1"] = hardware(2, 4)
    api.hardware["200-2"] = hardware(1)
    api.hardware["200-3"] = hardware(4)
    api.states["200-4"] = client_state("attention_hardware", "installing")
    api.states["200-5"] = client_state("attention_network")
    api.uid["200-6"] = "on"
    api.uid["200-7"] = "blink"
    api.ilo_degraded.add("200-8")
    api.faults[("200-9", "*")] = 403
    api.faults[("200-10", "bandwidth")] = 404
    api.traffic.update({"200-0": 50.0, "200-11": 900.0, "200-6": 300.0, "200-7": 300.0})
    checks = ["hardware", "client_state", "uid", "bandwidth", "ilo_health"]

    async with api.client() as ns, ns.fleet.scan(checks=checks, top_n=3) as scan:
        async for _ in scan:
            pass
    summary = scan.summary

    assert summary.scanned == len(TAGS)
    # Lists are in completion order; compare them sorted.
    assert {sev: sorted(tags) for sev, tags in summary.hardware_issues.items()} == {
        Severity.HIGH: ["200-1", "200-3"],
        Severity.INFORMATION: ["200-2"],
    }
    assert summary.attention == {
        "attention_hardware": ["200-4"],
        "attention_network": ["200-5"],
    }
    assert summary.uid_lit == {UidState.ON: ["200-6"], UidState.BLINK: ["200-7"]}
    assert summary.ilo_degraded == {"FANS": ["200-8"]}
    assert summary.top_bandwidth == [("200-11", 900.0), ("200-6", 300.0), ("200-7", 300.0)]
    assert sorted(summary.failures["PermissionDeniedError"]) == sorted(
        ("200-9", check) for check in checks
    )
    assert summary.failures["NotFoundError"] == [("200-10", "bandwidth")]
    assert summary.failed == 2
    # 1, 2, 3 hardware; 4, 5 attention; 8 iLO; 9, 10 failures. UID lit is not a problem.
    assert summary.with_problems == 8
    assert summary.healthy == 4
    assert summary.problems


def test_a_clean_fleet_has_no_problems() -> None:
    summary = FleetSummary()
    for i in range(3):
        summary.add(ScanResult(f"1-{i}", {"uid": UidState.OFF}, {}))
    assert not summary.problems
    assert summary.healthy == 3
    assert summary.top_bandwidth == []


def test_a_failed_check_is_a_problem() -> None:
    summary = FleetSummary()
    summary.add(ScanResult("1-1", {}, {"uid": CheckError("APITimeoutError", "slow")}))
    assert summary.problems
    assert summary.failures == {"APITimeoutError": [("1-1", "uid")]}


def test_top_n_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="top_n"):
        FleetSummary(top_n=-1)
