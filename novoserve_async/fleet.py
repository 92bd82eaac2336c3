"""Fleet scans: run checks over many servers at once, a bounded number at a time.

Example::

    async with NovoServe() as ns:
        async with ns.fleet.scan(checks=["hardware", "uid", "bandwidth"]) as scan:
            async for result in scan:  # one result per tag, as soon as that tag is done
                if not result.ok:
                    print(result.tag, result.errors)
        print(scan.summary.hardware_issues)

A scan is structured: ``concurrency`` worker tasks pull tags from a bounded stream that one
producer task fills from the input, and push results into another bounded stream that the
``async for`` reads. Memory therefore grows with ``concurrency``, not with the number of
tags, and leaving the ``async with`` block (early ``break``, an exception, cancellation)
cancels the workers and waits for them.
"""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Awaitable,
    Callable,
    Collection,
    Iterable,
    Mapping,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import attrs
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ._validation import check_ilo_resource, check_period, check_tag, check_whole_number
from .errors import APIStatusError
from .models import (
    Bandwidth,
    ClientState,
    HardwareHealth,
    IloHealth,
    IloResource,
    Severity,
    UidState,
    to_json_data,
)

if TYPE_CHECKING:
    from ._client import NovoServe

__all__ = [
    "CHECK_NAMES",
    "DEFAULT_CHECKS",
    "Check",
    "CheckError",
    "CheckFetch",
    "Fleet",
    "FleetScan",
    "FleetSummary",
    "ScanProgress",
    "ScanResult",
]

T = TypeVar("T")

#: What a check does: given the client and a tag, fetch one piece of data.
CheckFetch = Callable[["NovoServe", str], Awaitable[Any]]


async def _server(ns: NovoServe, tag: str) -> Any:
    return await ns.servers.get(tag)


async def _hardware(ns: NovoServe, tag: str) -> Any:
    return await ns.health.hardware(tag)


async def _ilo_health(ns: NovoServe, tag: str) -> Any:
    return await ns.health.ilo(tag)


async def _uid(ns: NovoServe, tag: str) -> Any:
    return await ns.ilo.uid(tag)


async def _client_state(ns: NovoServe, tag: str) -> Any:
    return await ns.client_state.get(tag)


async def _bandwidth(ns: NovoServe, tag: str) -> Any:
    return await ns.bandwidth.get(tag)


async def _network(ns: NovoServe, tag: str) -> Any:
    return await ns.network.info(tag)


_BUILTIN_FETCHES: Mapping[str, CheckFetch] = {
    "server": _server,
    "hardware": _hardware,
    "ilo_health": _ilo_health,
    "uid": _uid,
    "client_state": _client_state,
    "bandwidth": _bandwidth,
    "network": _network,
}

#: The names of the built-in checks; ``"ilo:<resource>"`` (e.g. ``"ilo:powerstate"``)
#: reads any :class:`~novoserve_async.IloResource` besides these.
CHECK_NAMES: tuple[str, ...] = tuple(_BUILTIN_FETCHES)

#: The checks a scan runs when none are given: what the summary reports on.
DEFAULT_CHECKS: tuple[str, ...] = ("server", "hardware", "client_state", "uid", "bandwidth")

_ILO_PREFIX = "ilo:"


@attrs.frozen
class Check:
    """One named unit of work run for every tag of a scan.

    Built-in checks are named by a string (see :data:`CHECK_NAMES`); :meth:`parse` turns
    such a name into a :class:`Check`. A check of your own is any coroutine function
    taking the client and a tag::

        Check("power", lambda ns, tag: ns.power.status(tag))

    Attributes:
        name: The key of its data in :attr:`ScanResult.checks` (or of its error in
            :attr:`ScanResult.errors`).
        fetch: The coroutine function that fetches the data.
    """

    name: str
    fetch: CheckFetch = attrs.field(eq=False, repr=False)

    @classmethod
    def parse(cls, spec: str | Check) -> Check:
        """The check for a built-in name such as ``"hardware"`` or ``"ilo:powerstate"``.

        A :class:`Check` is returned as it is.

        Raises:
            ValueError: the name is not a built-in check.
        """
        if isinstance(spec, Check):
            return spec
        if isinstance(spec, str) and spec.startswith(_ILO_PREFIX):
            return cls.ilo(spec[len(_ILO_PREFIX) :])
        fetch = _BUILTIN_FETCHES.get(spec) if isinstance(spec, str) else None
        if fetch is None:
            raise ValueError(
                f"unknown check {spec!r}; expected one of: {', '.join(CHECK_NAMES)}, "
                f"or 'ilo:<resource>'"
            )
        return cls(spec, fetch)

    @classmethod
    def bandwidth(cls, *, period: int | None = None) -> Check:
        """The ``"bandwidth"`` check over the last ``period`` days (the API's default: 35)."""
        if period is None:
            return cls("bandwidth", _bandwidth)
        days = check_period(period)  # a bad period fails here, not once per tag

        async def fetch(ns: NovoServe, tag: str) -> Any:
            return await ns.bandwidth.get(tag, period=days)

        return cls("bandwidth", fetch)

    @classmethod
    def ilo(cls, resource: IloResource | str) -> Check:
        """The ``"ilo:<resource>"`` check, reading one iLO control resource.

        Raises:
            ValueError: ``resource`` is not one of the ten resources.
        """
        checked = check_ilo_resource(resource)

        async def fetch(ns: NovoServe, tag: str) -> Any:
            return await ns.ilo.control(tag, checked)

        return cls(_ILO_PREFIX + checked.value, fetch)


@attrs.frozen
class CheckError:
    """Why one check failed for one tag.

    Attributes:
        type: The exception's class name, e.g. ``"PermissionDeniedError"``.
        message: The exception's message.
        status_code: The HTTP status, when the API answered with an error.
        exception: The exception itself.
    """

    type: str
    message: str
    status_code: int | None = None
    exception: BaseException | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_exception(cls, exc: BaseException) -> CheckError:
        """The record of ``exc``."""
        status = exc.status_code if isinstance(exc, APIStatusError) else None
        return cls(type(exc).__name__, str(exc), status, exc)

    def to_json_data(self) -> dict[str, Any]:
        """``{"type": ..., "message": ...}``."""
        return {"type": self.type, "message": self.message}


@attrs.frozen
class ScanResult:
    """What a scan found for one tag.

    Every check of the scan is a key of exactly one of :attr:`checks` and :attr:`errors`.

    Attributes:
        tag: The server tag, as given in the input.
        checks: The data of each check that succeeded, by check name, in the scan's check
            order (a model such as :class:`~novoserve_async.HardwareHealth`, or decoded JSON).
        errors: The error of each check that failed, by check name.
    """

    tag: str
    checks: Mapping[str, Any]
    errors: Mapping[str, CheckError]

    @property
    def ok(self) -> bool:
        """Whether every check succeeded (it says nothing about what they found)."""
        return not self.errors

    def to_json_data(self) -> dict[str, Any]:
        """``{"tag": ..., "checks": {name: data}, "errors": {name: {"type", "message"}}}``."""
        return {
            "tag": self.tag,
            "checks": {name: to_json_data(data) for name, data in self.checks.items()},
            "errors": {name: error.to_json_data() for name, error in self.errors.items()},
        }


@attrs.frozen
class ScanProgress:
    """How far a scan is.

    Attributes:
        done: Tags finished (and handed to the consumer).
        failed: Those of them with at least one failed check.
        total: The number of tags to scan, or ``None`` while the input is not fully read
            (an iterator or async iterator of tags).
    """

    done: int
    failed: int
    total: int | None


class FleetSummary:
    """What a scan found, built one result at a time (see :meth:`add`).

    Memory grows only with what is worth reporting (the tags with problems, and the
    ``top_n`` bandwidth users), not with the number of tags scanned. The summary reads
    the built-in checks by name: ``"hardware"``, ``"client_state"``, ``"uid"``,
    ``"ilo_health"`` and ``"bandwidth"``.

    Attributes:
        scanned: Tags seen.
        failed: Tags with at least one failed check.
        with_problems: Tags with a hardware issue, an attention state, a degraded iLO
            subsystem or a failed check.
        hardware_issues: Tags with open hardware issues, by their worst severity.
        attention: Tags by the ``attention_*`` client state they are in.
        ilo_degraded: Tags by the iLO subsystem that is not OK (``"FANS"``, ...).
        uid_lit: Tags whose UID light is on or blinking, by state.
        failures: ``(tag, check)`` pairs that failed, by error type.
        top_n: How many bandwidth users :attr:`top_bandwidth` keeps.
    """

    def __init__(self, *, top_n: int = 10) -> None:
        self.top_n = check_whole_number(top_n, name="top_n", minimum=0)
        self.scanned = 0
        self.failed = 0
        self.with_problems = 0
        self.hardware_issues: dict[Severity, list[str]] = {}
        self.attention: dict[str, list[str]] = {}
        self.ilo_degraded: dict[str, list[str]] = {}
        self.uid_lit: dict[UidState, list[str]] = {}
        self.failures: dict[str, list[tuple[str, str]]] = {}
        self._bandwidth_heap: list[tuple[float, str]] = []

    @property
    def healthy(self) -> int:
        """Tags without any problem."""
        return self.scanned - self.with_problems

    @property
    def problems(self) -> bool:
        """Whether any tag had a problem (see :attr:`with_problems`)."""
        return self.with_problems > 0

    @property
    def top_bandwidth(self) -> list[tuple[str, float]]:
        """The ``top_n`` tags with the most total traffic, as ``(tag, total)``, largest first."""
        ranked = sorted(self._bandwidth_heap, key=lambda item: (-item[0], item[1]))
        return [(tag, total) for total, tag in ranked]

    def add(self, result: ScanResult) -> None:
        """Count one result in."""
        tag = result.tag
        data = result.checks
        self.scanned += 1
        problem = False
        if result.errors:
            self.failed += 1
            problem = True
            for check, error in result.errors.items():
                self.failures.setdefault(error.type, []).append((tag, check))

        hardware = data.get("hardware")
        if isinstance(hardware, HardwareHealth) and hardware.worst_severity is not None:
            self.hardware_issues.setdefault(hardware.worst_severity, []).append(tag)
            problem = True

        states = data.get("client_state")
        if isinstance(states, list):
            attention = {
                s.state for s in states if isinstance(s, ClientState) and s.needs_attention
            }
            for state in sorted(attention):
                self.attention.setdefault(state, []).append(tag)
            problem = problem or bool(attention)

        ilo_health = data.get("ilo_health")
        if isinstance(ilo_health, IloHealth):
            degraded = ilo_health.degraded
            for subsystem in degraded:
                self.ilo_degraded.setdefault(subsystem, []).append(tag)
            problem = problem or bool(degraded)

        uid = data.get("uid")
        if uid in (UidState.ON, UidState.BLINK):
            self.uid_lit.setdefault(UidState(uid), []).append(tag)

        bandwidth = data.get("bandwidth")
        if isinstance(bandwidth, Bandwidth) and self.top_n:
            entry = (bandwidth.total, tag)
            if len(self._bandwidth_heap) < self.top_n:
                heapq.heappush(self._bandwidth_heap, entry)
            elif entry > self._bandwidth_heap[0]:
                heapq.heapreplace(self._bandwidth_heap, entry)

        if problem:
            self.with_problems += 1

    def __repr__(self) -> str:
        return (
            f"<FleetSummary scanned={self.scanned} with_problems={self.with_problems} "
            f"failed={self.failed}>"
        )


def _is_new(tag: object, seen: set[object] | None) -> bool:
    """Whether ``tag`` was not seen yet (always ``True`` when not deduplicating)."""
    if seen is None:
        return True
    try:
        if tag in seen:
            return False
        seen.add(tag)
    except TypeError:  # unhashable: not a tag; its scan records the ValueError
        pass
    return True


class FleetScan:
    """A running scan: an async context manager, and an async iterator of its results.

    Made by :meth:`Fleet.scan`; use it as::

        async with ns.fleet.scan(tags) as scan:
            async for result in scan:
                ...

    Results come in the order tags finish, not the input order. Leaving the block early
    cancels the tags still in flight. An error of the input itself (the tags iterable
    raising, or ``GET /servers/`` failing when no tags were given) is raised by the
    ``async for`` after the results of the tags already read.

    Attributes:
        summary: The :class:`FleetSummary` of the results iterated so far.
    """

    def __init__(
        self,
        client: NovoServe,
        tags: Iterable[str] | AsyncIterable[str] | None,
        *,
        checks: tuple[Check, ...],
        concurrency: int,
        dedupe: bool,
        on_progress: Callable[[ScanProgress], object] | None,
        top_n: int,
    ) -> None:
        self._client = client
        self._tags = tags
        self._checks = checks
        self._concurrency = concurrency
        self._dedupe = dedupe
        self._on_progress = on_progress
        self.summary = FleetSummary(top_n=top_n)
        self._total: int | None = None
        if isinstance(tags, Collection):
            seen: set[object] | None = set() if dedupe else None
            self._total = sum(1 for tag in tags if _is_new(tag, seen))
        self._input_error: Exception | None = None
        self._task_group: TaskGroup | None = None
        self._results: MemoryObjectReceiveStream[ScanResult] | None = None

    @property
    def checks(self) -> tuple[Check, ...]:
        """The checks run for every tag, in order."""
        return self._checks

    @property
    def progress(self) -> ScanProgress:
        """How far the scan is."""
        return ScanProgress(self.summary.scanned, self.summary.failed, self._total)

    async def __aenter__(self) -> FleetScan:
        if self._task_group is not None:
            raise RuntimeError("a FleetScan runs once; call ns.fleet.scan(...) again")
        tags_send, tags_receive = anyio.create_memory_object_stream[Any](self._concurrency)
        results_send, results_receive = anyio.create_memory_object_stream[ScanResult](
            self._concurrency
        )
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        self._results = results_receive
        task_group.start_soon(self._feed, tags_send)
        # Each worker owns a clone of both streams: the results stream ends when the
        # last worker is done, and that ends the consumer's ``async for``.
        with tags_receive, results_send:
            for _ in range(self._concurrency):
                task_group.start_soon(self._work, tags_receive.clone(), results_send.clone())
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        task_group = self._task_group
        assert task_group is not None
        assert self._results is not None
        # Whatever is still running is no longer wanted (a no-op after a full iteration).
        task_group.cancel_scope.cancel()
        try:
            if isinstance(exc, Exception):
                # The consumer's own error propagates as it is, not in an exception group.
                await task_group.__aexit__(None, None, None)
                return None
            return await task_group.__aexit__(exc_type, exc, tb)
        finally:
            self._results.close()

    def __aiter__(self) -> FleetScan:
        return self

    async def __anext__(self) -> ScanResult:
        if self._results is None:
            raise RuntimeError("enter the scan first: `async with ns.fleet.scan(...) as scan:`")
        try:
            result = await self._results.receive()
        except anyio.EndOfStream:
            error, self._input_error = self._input_error, None
            if error is not None:
                raise error from None
            raise StopAsyncIteration from None
        self.summary.add(result)
        if self._on_progress is not None:
            self._on_progress(self.progress)
        return result

    async def _feed(self, send: MemoryObjectSendStream[Any]) -> None:
        async with send, contextlib.aclosing(self._read_tags()) as tags:
            fed = 0
            while True:
                try:
                    tag = await anext(tags)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    self._input_error = exc
                    return
                await send.send(tag)
                fed += 1
            self._total = fed

    async def _read_tags(self) -> AsyncGenerator[Any, None]:
        tags = self._tags
        if tags is None:
            tags = await self._client.servers.list()
            self._total = len(dict.fromkeys(tags)) if self._dedupe else len(tags)
        seen: set[object] | None = set() if self._dedupe else None
        if isinstance(tags, AsyncIterable):
            async for tag in tags:
                if _is_new(tag, seen):
                    yield tag
        else:
            for tag in tags:
                if _is_new(tag, seen):
                    yield tag

    async def _work(
        self, tags: MemoryObjectReceiveStream[Any], results: MemoryObjectSendStream[ScanResult]
    ) -> None:
        async with tags, results:
            async for tag in tags:
                await results.send(await self._scan_tag(tag))

    async def _scan_tag(self, tag: Any) -> ScanResult:
        try:
            check_tag(tag)
        except ValueError as exc:
            # Nothing is sent for an invalid tag: every check fails with the same error.
            error = CheckError.from_exception(exc)
            return ScanResult(tag, {}, {check.name: error for check in self._checks})
        data: dict[str, Any] = {}
        errors: dict[str, CheckError] = {}
        if len(self._checks) == 1:
            await self._run_check(self._checks[0], tag, data, errors)
        else:
            # A tag's checks run side by side, so that a tag takes as long as its slowest
            # check rather than the sum of them; the client's admission limit
            # (max_concurrency) still bounds the requests in flight.
            async with anyio.create_task_group() as task_group:
                for check in self._checks:
                    task_group.start_soon(self._run_check, check, tag, data, errors)
        ordered = {check.name: data[check.name] for check in self._checks if check.name in data}
        return ScanResult(tag, ordered, errors)

    async def _run_check(
        self, check: Check, tag: str, data: dict[str, Any], errors: dict[str, CheckError]
    ) -> None:
        try:
            data[check.name] = await check.fetch(self._client, tag)
        except Exception as exc:  # a per-tag failure: recorded, never raised out of the scan
            errors[check.name] = CheckError.from_exception(exc)

    def __repr__(self) -> str:
        progress = self.progress
        return f"<FleetScan done={progress.done} total={progress.total}>"


class Fleet:
    """Scans over many servers at once (``ns.fleet``)."""

    def __init__(self, client: NovoServe) -> None:
        self._client = client

    def scan(
        self,
        tags: Iterable[str] | AsyncIterable[str] | None = None,
        *,
        checks: Iterable[str | Check] = DEFAULT_CHECKS,
        concurrency: int = 32,
        dedupe: bool = True,
        on_progress: Callable[[ScanProgress], object] | None = None,
        top_n: int = 10,
    ) -> FleetScan:
        """Run ``checks`` for every tag, ``concurrency`` tags at a time.

        Every input tag comes out exactly once, as a :class:`ScanResult`. A failing check
        (403 for a tag the key may not see, 404, a timeout after the client's retries, an
        invalid tag) is recorded in that result's :attr:`~ScanResult.errors`; it is never
        raised out of the scan.

        Args:
            tags: The tags to scan: an iterable or async iterable (read lazily), or
                ``None`` for every server of the account (``GET /servers/``).
            checks: Names of built-in checks (:data:`CHECK_NAMES`, ``"ilo:<resource>"``)
                or :class:`Check` objects; run side by side for each tag.
            concurrency: Tags scanned at once; also the size of the input and output
                buffers, so memory is bounded by it.
            dedupe: Scan a tag given more than once only the first time (keeps a set of
                the tags seen). With ``False`` every input item is scanned and yields a
                result, and memory stays constant however long the input.
            on_progress: Called with a :class:`ScanProgress` after each result is handed
                out, in the consumer's task.
            top_n: How many bandwidth users the summary keeps.

        Returns:
            A :class:`FleetScan`, to use with ``async with`` and ``async for``.

        Raises:
            ValueError: a check name is unknown or given twice, or ``concurrency`` is not
                a whole number >= 1.
        """
        if isinstance(tags, str):
            raise ValueError("tags must be an iterable of tags, not a single string")
        check_whole_number(concurrency, name="concurrency", minimum=1)
        parsed = tuple(Check.parse(check) for check in checks)
        if not parsed:
            raise ValueError("a scan needs at least one check")
        names = [check.name for check in parsed]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"checks given twice: {', '.join(duplicates)}")
        return FleetScan(
            self._client,
            tags,
            checks=parsed,
            concurrency=concurrency,
            dedupe=dedupe,
            on_progress=on_progress,
            top_n=top_n,
        )

    def __repr__(self) -> str:
        return f"<Fleet of {self._client!r}>"
