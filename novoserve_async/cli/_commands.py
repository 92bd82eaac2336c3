"""One command per API call: ``server TAG``, ``health TAG``, ``set-rdns TAG IP NAME``, ..."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import click
from rich.table import Table

from .._validation import check_hostname, check_ip, check_tag
from ..models import (
    Bandwidth,
    ClientState,
    HardwareHealth,
    IloHealth,
    IloResource,
    NetworkInfo,
    OsImage,
    RdnsEntry,
    Server,
    Severity,
    Traffic,
    WebIso,
)
from ._app import (
    EXIT_OK,
    EXIT_PROBLEMS,
    App,
    CommandFailed,
    confirm,
    echo_json,
    exit_with,
    json_option,
    stdout,
    yes_option,
)

__all__ = ["COMMANDS"]

tag_argument = click.argument("tag")
pass_app = click.make_pass_decorator(App, ensure=True)


def _checked(check: Any, value: Any, **kwargs: Any) -> Any:
    """``check(value)``, with a ``ValueError`` turned into a command failure."""
    try:
        return check(value, **kwargs)
    except ValueError as exc:
        raise CommandFailed(str(exc)) from None


def _show(value: Any, as_json: bool) -> None:
    """Free-form JSON from the API: as JSON, or pretty-printed for a human."""
    if as_json:
        echo_json(value)
    elif isinstance(value, str):
        stdout().print(value)
    else:
        stdout().print_json(data=value)


def _show_rows(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(*columns, title=title, title_justify="left")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    stdout().print(table)


@click.command("servers")
@json_option
@pass_app
def servers(app: App, as_json: bool) -> None:
    """List the tags of every server of the account, one per line."""
    tags = app.call(lambda ns: ns.servers.list())
    if as_json:
        echo_json(tags)
    else:
        for tag in tags:
            click.echo(tag)


@click.command("server")
@tag_argument
@json_option
@pass_app
def server(app: App, tag: str, as_json: bool) -> None:
    """Show the hardware profile and location of a server."""
    result: Server = app.call(lambda ns: ns.servers.get(tag))
    if as_json:
        echo_json(result)
        return
    where = result.location
    _show_rows(
        f"Server {tag}",
        ("Field", "Value"),
        [
            ("Hardware profile", result.hardware_profile),
            ("Data center", where.data_center),
            ("Rack", where.rack),
            ("Unit", where.unit),
            ("Rack id", where.rack_id),
        ],
    )


def _traffic_row(label: str, traffic: Traffic) -> tuple[str, str, str, str]:
    return (label, f"{traffic.inbound:,.2f}", f"{traffic.outbound:,.2f}", f"{traffic.total:,.2f}")


@click.command("bandwidth")
@tag_argument
@click.option(
    "--period", type=click.IntRange(min=1), help="Days to report (the API's default: 35)."
)
@json_option
@pass_app
def bandwidth(app: App, tag: str, period: int | None, as_json: bool) -> None:
    """Show the daily and monthly traffic of a server."""
    result: Bandwidth = app.call(lambda ns: ns.bandwidth.get(tag, period=period))
    if as_json:
        echo_json(result)
        return
    columns = ("", "In", "Out", "Total")
    _show_rows(
        f"Daily traffic of {tag}",
        columns,
        [_traffic_row(day.isoformat(), traffic) for day, traffic in result.daily.items()],
    )
    _show_rows(
        f"Monthly traffic of {tag}",
        columns,
        [_traffic_row(month, traffic) for month, traffic in result.monthly.items()],
    )
    stdout().print(f"Total over {len(result.daily)} days: [bold]{result.total:,.2f}[/]")


def _severity_name(severity: Severity) -> str:
    return severity.name.replace("_", " ").lower()


@click.command("health")
@tag_argument
@json_option
@pass_app
def health(app: App, tag: str, as_json: bool) -> None:
    """Show the open hardware issues of a server (exit status 1 when there are any)."""
    result: HardwareHealth = app.call(lambda ns: ns.health.hardware(tag))
    if as_json:
        echo_json(result)
    elif result.healthy:
        stdout().print(f"{tag}: no open hardware issues")
    else:
        _show_rows(
            f"Hardware issues of {tag}",
            ("Severity", "Since", "Issue", "Event"),
            [
                (
                    _severity_name(issue.severity),
                    issue.clock.isoformat() if issue.clock else "unknown",
                    issue.name,
                    issue.event_id,
                )
                for issue in sorted(result.issues, key=lambda i: -i.severity)
            ],
        )
    exit_with(EXIT_OK if result.healthy else EXIT_PROBLEMS)


@click.command("ilo-health")
@tag_argument
@json_option
@pass_app
def ilo_health(app: App, tag: str, as_json: bool) -> None:
    """Show the iLO's health at a glance (exit status 1 when a subsystem is not OK)."""
    result: IloHealth = app.call(lambda ns: ns.health.ilo(tag))
    degraded = result.degraded
    if as_json:
        echo_json(result)
    else:
        _show_rows(
            f"iLO health of {tag}",
            ("Subsystem", "Status"),
            [
                (name, f"[red]{status}[/]" if name in degraded else status)
                for name, status in result.at_a_glance.items()
            ],
        )
    exit_with(EXIT_PROBLEMS if degraded else EXIT_OK)


@click.command("ilo-uid")
@tag_argument
@json_option
@pass_app
def ilo_uid(app: App, tag: str, as_json: bool) -> None:
    """Show whether the UID light of a server is on, off or blinking."""
    result = app.call(lambda ns: ns.ilo.uid(tag))
    if as_json:
        echo_json(result)
    else:
        click.echo(result.value)


@click.command("ilo")
@tag_argument
@click.argument("resource", type=click.Choice([r.value for r in IloResource]))
@json_option
@pass_app
def ilo(app: App, tag: str, resource: str, as_json: bool) -> None:
    """Read one iLO control RESOURCE of a server."""
    _show(app.call(lambda ns: ns.ilo.control(tag, resource)), as_json)


@click.command("rdns")
@tag_argument
@json_option
@pass_app
def rdns(app: App, tag: str, as_json: bool) -> None:
    """Show the reverse DNS of each address of a server."""
    result: list[RdnsEntry] = app.call(lambda ns: ns.rdns.list(tag))
    if as_json:
        echo_json(result)
        return
    _show_rows(
        f"Reverse DNS of {tag}",
        ("Interface", "Address", "Prefix", "VLAN", "Description", "Reverse DNS"),
        [
            (
                e.interface_name,
                e.interface_ip,
                e.parent_netmask,
                e.vlan,
                e.vlan_description,
                e.rdns,
            )
            for e in result
        ],
    )


@click.command("set-rdns")
@tag_argument
@click.argument("ip")
@click.argument("name")
@yes_option
@json_option
@pass_app
def set_rdns(app: App, tag: str, ip: str, name: str, yes: bool, as_json: bool) -> None:
    """Set the reverse DNS NAME of the address IP of a server (asks first)."""
    _checked(check_tag, tag)
    address = _checked(check_ip, ip)
    _checked(check_hostname, name)
    confirm(f"Set the reverse DNS of {address} on {tag} to {name}?", yes=yes)
    _show(app.call(lambda ns: ns.rdns.set(tag, address, name)), as_json)


@click.command("os-images")
@tag_argument
@json_option
@pass_app
def os_images(app: App, tag: str, as_json: bool) -> None:
    """List the operating systems that can be installed on a server."""
    result: list[OsImage] = app.call(lambda ns: ns.os_installs.list(tag))
    if as_json:
        echo_json(result)
        return
    _show_rows(f"OS images for {tag}", ("Id", "Name"), [(i.id, i.name) for i in result])


@click.command("install-os")
@tag_argument
@click.argument("os_id", metavar="OS")
@yes_option
@json_option
@pass_app
def install_os(app: App, tag: str, os_id: str, yes: bool, as_json: bool) -> None:
    """Install the operating system OS (an id from `os-images`) on a server, WIPING it."""
    _checked(check_tag, tag)
    if not os_id.strip():
        raise CommandFailed("OS must be an image id from `novoserve-async os-images TAG`")
    confirm(f"Install {os_id} on {tag}? This WIPES every disk of the server.", yes=yes)
    _show(app.call(lambda ns: ns.os_installs.install(tag, os_id)), as_json)


def _show_isos(title: str, isos: list[WebIso], as_json: bool) -> None:
    if as_json:
        echo_json(isos)
    else:
        _show_rows(title, ("Name", "URL"), [(i.name, i.url) for i in isos])


@click.command("isos")
@tag_argument
@json_option
@pass_app
def isos(app: App, tag: str, as_json: bool) -> None:
    """List the ISO images that can be mounted on a server."""
    _show_isos(f"ISO images for {tag}", app.call(lambda ns: ns.webiso.list(tag)), as_json)


@click.command("iso-options")
@json_option
@pass_app
def iso_options(app: App, as_json: bool) -> None:
    """List every ISO image on offer."""
    _show_isos("ISO images", app.call(lambda ns: ns.webiso.options()), as_json)


@click.command("iso")
@tag_argument
@click.argument("action", type=click.Choice(["mount", "unmount"]))
@click.argument("url", required=False)
@json_option
@pass_app
def iso(app: App, tag: str, action: str, url: str | None, as_json: bool) -> None:
    r"""Mount the ISO image at URL on a server as virtual media, or unmount it.

    \b
    novoserve-async iso TAG mount URL
    novoserve-async iso TAG unmount
    """
    if action == "mount":
        if url is None:
            raise click.UsageError("`iso TAG mount` needs the URL of the image")
        _show(app.call(lambda ns: ns.webiso.mount(tag, url)), as_json)
    else:
        if url is not None:
            raise click.UsageError("`iso TAG unmount` takes no URL")
        _show(app.call(lambda ns: ns.webiso.unmount(tag)), as_json)


@click.command("client-state")
@tag_argument
@json_option
@pass_app
def client_state(app: App, tag: str, as_json: bool) -> None:
    """Show the states a server is in (exit status 1 when one needs attention)."""
    result: list[ClientState] = app.call(lambda ns: ns.client_state.get(tag))
    if as_json:
        echo_json(result)
    elif not result:
        stdout().print(f"{tag}: no client state")
    else:
        _show_rows(
            f"Client state of {tag}",
            ("State", "Since", "Details"),
            [
                (
                    f"[red]{s.state}[/]" if s.needs_attention else s.state,
                    s.ctime.isoformat(),
                    s.details,
                )
                for s in result
            ],
        )
    exit_with(EXIT_PROBLEMS if any(s.needs_attention for s in result) else EXIT_OK)


@click.command("network")
@tag_argument
@json_option
@pass_app
def network(app: App, tag: str, as_json: bool) -> None:
    """Show the address, subnet mask and gateway of a server."""
    result: NetworkInfo = app.call(lambda ns: ns.network.info(tag))
    if as_json:
        echo_json(result)
        return
    _show_rows(
        f"Network of {tag}",
        ("Field", "Value"),
        [("Address", result.ip), ("Subnet mask", result.subnet), ("Gateway", result.gateway)],
    )


_POWER_ACTIONS = {
    "on": ("power on", "on"),
    "off": ("power off", "off"),
    "reset": ("reset", "reset"),
    "cold-boot": ("cold-boot", "cold_boot"),
}


@click.command("power")
@tag_argument
@click.argument("action", type=click.Choice(["status", *_POWER_ACTIONS]))
@yes_option
@json_option
@pass_app
def power(app: App, tag: str, action: str, yes: bool, as_json: bool) -> None:
    """Show the power state of a server, or power it on, off, reset or cold-boot it.

    Every action but `status` asks first.
    """
    if action == "status":
        _show(app.call(lambda ns: ns.power.status(tag)), as_json)
        return
    _checked(check_tag, tag)
    verb, method = _POWER_ACTIONS[action]
    confirm(f"{verb.capitalize()} {tag}?", yes=yes)
    _show(app.call(lambda ns: getattr(ns.power, method)(tag)), as_json)


@click.command("console")
@tag_argument
@click.argument("ip")
@json_option
@pass_app
def console(app: App, tag: str, ip: str, as_json: bool) -> None:
    """Get a remote console URL of a server that the address IP may open."""
    result = app.call(lambda ns: ns.console.url(tag, ip))
    if not as_json and isinstance(result, dict) and isinstance(result.get("url"), str):
        click.echo(result["url"])
    else:
        _show(result, as_json)


#: Every command of this module, in the order ``--help`` lists them.
COMMANDS: tuple[click.Command, ...] = (
    servers,
    server,
    bandwidth,
    health,
    ilo_health,
    ilo_uid,
    ilo,
    rdns,
    set_rdns,
    os_images,
    install_os,
    isos,
    iso_options,
    iso,
    client_state,
    network,
    power,
    console,
)
