"""Fleet scans: every tag exactly once, failures on the right tag and check, bounded work."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio
import anyio.lowlevel
import httpx
import pytest

from novoserve_async import (
    AuthenticationError,
    Bandwidth,
    HardwareHealth,
    NovoServe,
    Server,
    UidState,
)
from novoserve_async.fleet import (
    CHECK_NAMES,
    DEFAULT_CHECKS,
    Check,
    CheckError,
    ScanProgress,
    ScanResult,
)

from .fakeapi import FakeAPI

pytestmark = pytest.mark.anyio

TAGS = [f"100-{i:03d}" for i in range(40)]


async def collect(ns: NovoServe, tags: object = None, **options: object) -> list[ScanResult]:
    async with ns.fleet.scan(tags, **options) as scan:  # type: ignore[arg-type]
        return [result async for result in scan]


async def test_every_tag_comes_out_exactly_once_with_every_default_check() -> None:
    api = FakeAPI(TAGS, checkpoints=2)
    async with api.client() as ns:
        results = await collect(ns, TAGS, concurrency=7)

    assert sorted(r.tag for r in results) == TAGS
    for result in results:
        assert result.ok
        assert list(result.checks) == list(DEFAULT_CHECKS)
        assert isinstance(result.checks["server"], Server)
        assert isinstance(result.checks["hardware"], HardwareHealth)
        assert result.checks["uid"] is UidState.OFF
        assert isinstance(result.checks["bandwidth"], Bandwidth)
        assert result.checks["client_state"] == []


async def test_no_tags_scans_the_whole_account() -> None:
    api = FakeAPI(TAGS[:5])
    async with api.client() as ns:
        results = await collect(ns, checks=["server"])
    assert sorted(r.tag for r in results) == TAGS[:5]
    assert api.requests.count(("GET", "/servers/")) == 1


async def test_failures_are_recorded_on_the_right_tag_and_check() -> None:
    api = FakeAPI(TAGS, checkpoints=1)
    api.faults[("100-001", "*")] = 403
    api.faults[("100-002", "servers")] = 404
    api.faults[("100-003", "health-check")] = httpx.ReadTimeout("slow")
    api.faults[("100-004", "bandwidth")] = 503
    async with api.client(max_retries=2) as ns:
        results = {r.tag: r for r in await collect(ns, TAGS, concurrency=5)}

    assert len(results) == len(TAGS)
    forbidden = results["100-001"]
    assert set(forbidden.errors) == set(DEFAULT_CHECKS)
    assert {e.type for e in forbidden.errors.values()} == {"PermissionDeniedError"}
    assert {e.status_code for e in forbidden.errors.values()} == {403}

    missing = results["100-002"]
    assert set(missing.errors) == {"server"}
    assert missing.errors["server"].type == "NotFoundError"
    assert set(missing.checks) == set(DEFAULT_CHECKS) - {"server"}

    slow = results["100-003"]
    assert set(slow.errors) == {"hardware"}
    assert slow.errors["hardware"].type == "APITimeoutError"
    # The timeout came after the client's retries: 1 attempt + 2 retries.
    assert api.requests_for("100-003").count(("GET", "/health-check/hardware/100-003")) == 3

    unavailable = results["100-004"]
    assert set(unavailable.errors) == {"bandwidth"}
    assert unavailable.errors["bandwidth"].type == "InternalServerError"

    failed = {"100-001", "100-002", "100-003", "100-004"}
    assert all(r.ok for tag, r in results.items() if tag not in failed)


async def test_every_check_is_in_exactly_one_of_checks_and_errors() -> None:
    api = FakeAPI(TAGS)
    api.faults[("100-005", "ilo-uid")] = 500
    checks = [*CHECK_NAMES, "ilo:powerstate"]
    async with api.client(max_retries=0) as ns:
        for result in await collect(ns, TAGS[:10], checks=checks):
            assert set(result.checks).isdisjoint(result.errors)
            assert set(result.checks) | set(result.errors) == set(checks)


async def test_invalid_tags_become_value_errors_and_send_nothing() -> None:
    api = FakeAPI()
    bad = ["../x", "", "a b", "x/y"]
    async with api.client() as ns:
        results = await collect(ns, [*bad, "100-000"], checks=["server", "uid"])

    by_tag = {r.tag: r for r in results}
    assert set(by_tag) == {*bad, "100-000"}
    for tag in bad:
        assert set(by_tag[tag].errors) == {"server", "uid"}
        assert {e.type for e in by_tag[tag].errors.values()} == {"ValueError"}
    assert by_tag["100-000"].ok
    assert all(path.endswith("/100-000") for _, path in api.requests)


async def test_duplicate_tags_are_scanned_once_by_default() -> None:
    api = FakeAPI()
    async with api.client() as ns:
        results = await collect(ns, ["1-1", "2-2", "1-1", "3-3", "2-2"], checks=["server"])
    assert [r.tag for r in results].count("1-1") == 1
    assert sorted(r.tag for r in results) == ["1-1", "2-2", "3-3"]
    assert len(api.requests) == 3


async def test_without_dedupe_every_input_item_yields_a_result() -> None:
    api = FakeAPI()
    async with api.client() as ns:
        results = await collect(ns, ["1-1", "1-1", "2-2"], checks=["server"], dedupe=False)
    assert sorted(r.tag for r in results) == ["1-1", "1-1", "2-2"]


async def test_an_async_iterable_of_tags_is_read_lazily() -> None:
    async def tags() -> AsyncIterator[str]:
        for tag in TAGS[:12]:
            await anyio.lowlevel.checkpoint()
            yield tag

    api = FakeAPI()
    async with api.client() as ns:
        results = await collect(ns, tags(), checks=["uid"], concurrency=3)
    assert sorted(r.tag for r in results) == TAGS[:12]


async def test_input_error_is_raised_after_the_tags_already_read() -> None:
    def tags() -> Iterator[str]:
        yield from TAGS[:6]
        raise OSError("tags file went away")

    api = FakeAPI()
    seen: list[str] = []

    async def consume() -> None:
        async with api.client() as ns, ns.fleet.scan(tags(), checks=["uid"], concurrency=2) as scan:
            async for result in scan:
                seen.append(result.tag)

    with pytest.raises(OSError, match="went away"):
        await consume()
    assert sorted(seen) == TAGS[:6]


async def test_account_listing_failure_is_raised_as_itself() -> None:
    api = FakeAPI()
    api.servers_list_status = 401
    async with api.client() as ns:
        with pytest.raises(AuthenticationError):
            await collect(ns)


async def test_tags_in_flight_never_exceed_concurrency() -> None:
    api = FakeAPI(checkpoints=5)
    async with api.client() as ns:
        results = await collect(ns, TAGS, concurrency=4)
    assert len(results) == len(TAGS)
    assert api.max_tags_in_flight == 4


async def test_input_is_read_only_as_fast_as_results_are_consumed() -> None:
    pulled = 0

    def tags() -> Iterator[str]:
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield f"1-{i}"

    api = FakeAPI()
    concurrency = 5
    consumed = 0
    async with api.client() as ns, ns.fleet.scan(tags(), checks=["uid"], concurrency=5) as scan:
        async for _ in scan:
            consumed += 1
            # The producer's buffer, the workers and the results buffer: nothing more.
            assert pulled - consumed <= 3 * concurrency + 1
            if consumed == 200:
                break
    assert pulled < 200 + 3 * concurrency + 2


async def test_breaking_out_cancels_the_tags_in_flight() -> None:
    api = FakeAPI(checkpoints=50)
    async with api.client() as ns:
        async with ns.fleet.scan(TAGS, checks=["server"], concurrency=3) as scan:
            async for _ in scan:
                break
        sent = len(api.requests)
        await anyio.lowlevel.checkpoint()
    assert sent < len(TAGS)
    assert len(api.requests) == sent
    assert sum(api.in_flight.values()) == 0


async def test_an_error_in_the_consumer_propagates_as_itself() -> None:
    api = FakeAPI()

    async def consume() -> None:
        async with api.client() as ns, ns.fleet.scan(TAGS, checks=["server"]) as scan:
            async for _ in scan:
                raise KeyError("consumer")

    with pytest.raises(KeyError, match="consumer"):
        await consume()


async def test_progress_is_reported_after_each_result() -> None:
    reports: list[ScanProgress] = []
    api = FakeAPI()
    api.faults[("100-002", "ilo-uid")] = 404
    async with api.client() as ns:
        await collect(ns, TAGS[:5], checks=["uid"], on_progress=reports.append)
    assert [p.done for p in reports] == [1, 2, 3, 4, 5]
    assert {p.total for p in reports} == {5}
    assert reports[-1].failed == 1


async def test_progress_total_is_unknown_until_an_iterator_is_exhausted() -> None:
    reports: list[ScanProgress] = []
    api = FakeAPI()
    async with api.client() as ns:
        await collect(ns, iter(TAGS), checks=["uid"], concurrency=2, on_progress=reports.append)
    assert reports[0].total is None
    assert reports[-1] == ScanProgress(done=len(TAGS), failed=0, total=len(TAGS))


async def test_custom_and_parameterised_checks() -> None:
    api = FakeAPI()

    async def tag_length(ns: NovoServe, tag: str) -> int:
        return len(tag)

    checks = [Check("length", tag_length), Check.bandwidth(period=7), "ilo:firmware-version"]
    async with api.client() as ns:
        (result,) = await collect(ns, ["100-000"], checks=checks)
    assert result.checks["length"] == 7
    assert result.checks["ilo:firmware-version"] == {"resource": "firmware-version"}
    assert ("GET", "/bandwidth/100-000") in api.requests


async def test_scan_arguments_are_checked_before_anything_runs() -> None:
    api = FakeAPI()
    async with api.client() as ns:
        with pytest.raises(ValueError, match="unknown check"):
            ns.fleet.scan(TAGS, checks=["hardwear"])
        with pytest.raises(ValueError, match="unknown ILO resource"):
            ns.fleet.scan(TAGS, checks=["ilo:nope"])
        with pytest.raises(ValueError, match="given twice"):
            ns.fleet.scan(TAGS, checks=["uid", "uid"])
        with pytest.raises(ValueError, match="concurrency"):
            ns.fleet.scan(TAGS, concurrency=0)
        with pytest.raises(ValueError, match="single string"):
            ns.fleet.scan("100-000")
        with pytest.raises(ValueError, match="period"):
            Check.bandwidth(period=0)
    assert api.requests == []


async def test_iterating_without_entering_is_an_error() -> None:
    api = FakeAPI()
    async with api.client() as ns:
        scan = ns.fleet.scan(TAGS)
        with pytest.raises(RuntimeError, match="async with"):
            await scan.__anext__()


def test_result_json_has_the_documented_schema() -> None:
    error = CheckError.from_exception(ValueError("invalid server tag '../x'"))
    result = ScanResult("1-1", {"uid": UidState.ON}, {"server": error})
    assert result.to_json_data() == {
        "tag": "1-1",
        "checks": {"uid": "on"},
        "errors": {"server": {"type": "ValueError", "message": "invalid server tag '../x'"}},
    }
    assert not result.ok
