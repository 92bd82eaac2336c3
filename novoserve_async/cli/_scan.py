"""``novoserve-async scan``: run checks over the fleet and summarise what needs attention."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import sys
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import IO

import anyio.to_thread
import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from .._client import NovoServe
from ..fleet import CHECK_NAMES, DEFAULT_CHECKS, Check, FleetSummary, ScanProgress
from ._app import (
    EXIT_OK,
    EXIT_PROBLEMS,
    App,
    CommandFailed,
    exit_with,
    has_credentials,
    json_option,
    stderr,
    stdout,
)

__all__ = ["scan"]

_SHOWN_TAGS = 6  # tags listed per row of a summary table before "and N more"
_STDIN_BATCH = 64 * 1024  # bytes of tags read from a pipe per thread hop


def _parse_line(line: str) -> str | None:
    """The tag on one line of a tags file: blank lines and ``#`` comments are skipped."""
    tag = line.split("#", 1)[0].strip()
    return tag or None


def _read_tags_file(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as file:
            return [tag for line in file if (tag := _parse_line(line)) is not None]
    except OSError as exc:
        raise CommandFailed(f"cannot read the tags file: {exc}") from None


async def _stream_tags(stream: IO[str]) -> AsyncIterator[str]:
    """Tags from a pipe, read in a worker thread so that a slow writer never blocks the scan."""
    while True:
        lines = await anyio.to_thread.run_sync(
            stream.readlines, _STDIN_BATCH, abandon_on_cancel=True
        )
        if not lines:
            return
        for line in lines:
            tag = _parse_line(line)
            if tag is not None:
                yield tag


def _is_piped(stream: IO[str]) -> bool:
    """Whether ``stream`` is a pipe or a redirected file (not a terminal, not /dev/null)."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode) or stat.S_ISSOCK(mode)


def _tag_source(
    tags: Sequence[str], tags_file: str | None, *, stdin_allowed: bool
) -> list[str] | AsyncIterator[str] | None:
    """The tags to scan: arguments, ``--tags-file`` (``-``: stdin), or piped stdin.

    ``None`` (the whole account) when none of them is given. A pipe on stdin is read only
    when ``stdin_allowed`` (``--simulate`` scans the simulated account instead).
    """
    if tags and tags_file is not None:
        raise click.UsageError("give tags as arguments or with --tags-file, not both")
    if tags:
        return list(tags)
    stdin = sys.stdin
    if tags_file == "-" or (tags_file is None and stdin_allowed and _is_piped(stdin)):
        return _stream_tags(stdin)
    if tags_file is not None:
        return _read_tags_file(tags_file)
    return None


def _parse_checks(value: str, bandwidth_period: int | None) -> list[Check]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if names == ["all"]:
        names = list(CHECK_NAMES)
    try:
        checks = [Check.parse(name) for name in names]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--checks") from None
    if bandwidth_period is not None:
        checks = [
            Check.bandwidth(period=bandwidth_period) if c.name == "bandwidth" else c for c in checks
        ]
    if not checks:
        raise click.BadParameter("name at least one check", param_hint="--checks")
    return checks


def _progress_bar(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


async def _scan(
    ns: NovoServe,
    tags: list[str] | AsyncIterator[str] | None,
    *,
    checks: list[Check],
    concurrency: int,
    top: int,
    as_json: bool,
) -> FleetSummary:
    with _progress_bar(stderr()) as progress:
        task = progress.add_task("Scanning", total=None, failed=0)

        def report(state: ScanProgress) -> None:
            progress.update(task, completed=state.done, total=state.total, failed=state.failed)

        async with ns.fleet.scan(
            tags, checks=checks, concurrency=concurrency, on_progress=report, top_n=top
        ) as fleet_scan:
            async for result in fleet_scan:
                if as_json:
                    click.echo(json.dumps(result.to_json_data(), separators=(",", ":")))
    return fleet_scan.summary


def _tag_list(tags: Sequence[str]) -> str:
    shown = ", ".join(tags[:_SHOWN_TAGS])
    more = len(tags) - _SHOWN_TAGS
    return f"{shown}, … and {more} more" if more > 0 else shown


def _grouped_table(title: str, key: str, groups: Iterable[tuple[str, Sequence[str]]]) -> Table:
    table = Table(key, "Servers", "Tags", title=title, title_justify="left")
    for name, tags in groups:
        table.add_row(name, str(len(tags)), _tag_list(sorted(tags)))
    return table


def _render(summary: FleetSummary, checks: Sequence[Check], elapsed: float) -> None:
    out = stdout()
    problems = summary.with_problems
    out.print(
        f"Scanned [bold]{summary.scanned}[/] servers with {len(checks)} checks "
        f"({', '.join(c.name for c in checks)}) in {elapsed:.1f} s: "
        f"[green]{summary.healthy} healthy[/], "
        f"[{'red' if problems else 'green'}]{problems} with problems[/]"
        + (f", {summary.failed} with failed checks" if summary.failed else "")
        + "."
    )
    if summary.hardware_issues:
        out.print(
            _grouped_table(
                "Hardware issues (servers by their worst severity)",
                "Severity",
                (
                    (severity.name.replace("_", " ").lower(), summary.hardware_issues[severity])
                    for severity in sorted(summary.hardware_issues, reverse=True)
                ),
            )
        )
    if summary.attention:
        out.print(
            _grouped_table("Servers needing attention", "State", sorted(summary.attention.items()))
        )
    if summary.ilo_degraded:
        out.print(
            _grouped_table(
                "iLO subsystems not OK", "Subsystem", sorted(summary.ilo_degraded.items())
            )
        )
    if summary.uid_lit:
        out.print(
            _grouped_table(
                "UID light lit", "UID", ((str(uid), tags) for uid, tags in summary.uid_lit.items())
            )
        )
    if summary.top_bandwidth:
        table = Table(
            "#", "Tag", "Total traffic", title="Top bandwidth users", title_justify="left"
        )
        for rank, (tag, total) in enumerate(summary.top_bandwidth, 1):
            table.add_row(str(rank), tag, f"{total:,.0f}")
        out.print(table)
    if summary.failures:
        table = Table(
            "Error", "Checks", "Servers", "Examples", title="Failed checks", title_justify="left"
        )
        for error_type, failed in sorted(summary.failures.items(), key=lambda kv: -len(kv[1])):
            servers = sorted({tag for tag, _ in failed})
            examples = [f"{tag} ({check})" for tag, check in failed[:3]]
            table.add_row(error_type, str(len(failed)), str(len(servers)), ", ".join(examples))
        out.print(table)


@contextlib.asynccontextmanager
async def _client(
    app: App, simulate: int | None, seed: int, concurrency: int
) -> AsyncIterator[NovoServe]:
    # As many requests in flight as tags: the checks of a tag share them. More connections
    # cost client CPU in httpx's pool for little gain.
    options = {"max_concurrency": concurrency}
    if simulate is None:
        async with app.client(**options) as ns:
            yield ns
        return
    from ..testing import Faults, Latency, Simulator

    # Some network latency, so that the scan's concurrency matters.
    faults = Faults(latency=Latency.uniform(0.002, 0.02))
    async with Simulator(servers=simulate, seed=seed, faults=faults) as sim:
        key, secret = sim.credentials
        async with app.client(
            api_key=key, api_secret=secret, base_url=sim.base_url, **options
        ) as ns:
            yield ns


@click.command("scan")
@click.argument("tags", nargs=-1)
@click.option(
    "--tags-file",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Read tags from this file, one per line ('-': standard input).",
)
@click.option(
    "--checks",
    "checks_spec",
    default=",".join(DEFAULT_CHECKS),
    show_default=True,
    help=f"Comma-separated checks: {', '.join(CHECK_NAMES)}, ilo:<resource>, or 'all'.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Servers scanned at once, and requests in flight at once.",
)
@click.option(
    "--bandwidth-period",
    type=click.IntRange(min=1),
    help="Days of traffic the bandwidth check sums (the API's default: 35).",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Bandwidth users listed.",
)
@click.option(
    "--simulate",
    type=click.IntRange(min=1),
    metavar="N",
    help="Scan a simulated fleet of N servers, served on a free loopback port.",
)
@click.option(
    "--or-simulate",
    "or_simulate",
    type=click.IntRange(min=1),
    metavar="N",
    help="Scan the account when NOVOSERVE_API_KEY and NOVOSERVE_API_SECRET are set, "
    "else a simulated fleet of N servers (and say so on standard error).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The simulated fleet's seed.")
@json_option
@click.pass_obj
def scan(
    app: App,
    tags: tuple[str, ...],
    tags_file: str | None,
    checks_spec: str,
    concurrency: int,
    bandwidth_period: int | None,
    top: int,
    simulate: int | None,
    or_simulate: int | None,
    seed: int,
    as_json: bool,
) -> None:
    """Scan many servers at once and summarise what needs attention.

    Tags come from the arguments, --tags-file, a pipe on standard input, or else the whole
    account (--or-simulate N: a simulated fleet when no credentials are set). With --json,
    prints one JSON object per server (NDJSON):
    {"tag": ..., "checks": {name: data}, "errors": {name: {"type": ..., "message": ...}}}.

    Exit status: 0 all healthy, 1 problems found (hardware issues, attention states,
    degraded iLO, failed checks), 2 the scan itself failed.
    """
    checks = _parse_checks(checks_spec, bandwidth_period)
    if simulate is None and or_simulate is not None and not has_credentials():
        stderr().print(
            "[yellow]NOVOSERVE_API_KEY and NOVOSERVE_API_SECRET are not set: scanning a "
            f"simulated fleet of {or_simulate} servers.[/]"
        )
        simulate = or_simulate
    source = _tag_source(tags, tags_file, stdin_allowed=simulate is None)
    started = time.perf_counter()

    async def main() -> FleetSummary:
        async with _client(app, simulate, seed, concurrency) as ns:
            try:
                return await _scan(
                    ns, source, checks=checks, concurrency=concurrency, top=top, as_json=as_json
                )
            except OSError as exc:  # reading the tags from standard input failed
                raise CommandFailed(f"cannot read the tags: {exc}") from None

    summary = app.run(main)
    if summary.scanned == 0:
        stderr().print("[yellow]No servers to scan.[/]")
    if not as_json:
        _render(summary, checks, time.perf_counter() - started)
    exit_with(EXIT_PROBLEMS if summary.problems else EXIT_OK)
