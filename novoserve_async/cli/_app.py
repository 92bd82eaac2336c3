"""What every command shares: the client, running async code, output, exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import attrs
import click
from rich.console import Console

from .._client import NovoServe
from ..errors import NovoServeError
from ..models import to_json_data

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "App",
    "CommandFailed",
    "confirm",
    "echo_json",
    "exit_with",
    "has_credentials",
    "json_option",
    "stderr",
    "stdout",
    "yes_option",
]

T = TypeVar("T")

#: Everything is fine.
EXIT_OK = 0
#: The command worked and found problems: hardware issues, attention states, failed checks.
EXIT_PROBLEMS = 1
#: The command itself failed: bad input, missing credentials, an API error, not confirmed.
EXIT_FAILED = 2

_CREDENTIALS_HELP = (
    "set NOVOSERVE_API_KEY and NOVOSERVE_API_SECRET (an API key and its secret from the "
    "NovoServe customer portal); to try the tool without an account, run "
    "`novoserve-async scan --simulate 200`"
)


_CREDENTIAL_VARIABLES = ("NOVOSERVE_API_KEY", "NOVOSERVE_API_SECRET")


def has_credentials() -> bool:
    """Whether both credential variables are set in the environment."""
    return all(os.environ.get(name) for name in _CREDENTIAL_VARIABLES)


def exit_with(code: int) -> None:
    """End the command with exit status ``code`` (nothing happens for 0)."""
    if code != EXIT_OK:
        click.get_current_context().exit(code)


class CommandFailed(click.ClickException):
    """The command could not do its job: printed as ``Error: ...``, exit status 2."""

    exit_code = EXIT_FAILED


def stdout() -> Console:
    """A rich console on the current standard output."""
    return Console(soft_wrap=True)


def stderr() -> Console:
    """A rich console on the current standard error."""
    return Console(stderr=True, soft_wrap=True)


def echo_json(value: Any) -> None:
    """Print ``value`` (a model, or plain data) as one line of JSON on standard output."""
    click.echo(json.dumps(to_json_data(value), ensure_ascii=False, separators=(",", ":")))


def json_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--json`` flag, passed to the command as ``as_json``."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON on standard output instead of tables."
    )(command)


def yes_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--yes`` flag, passed to the command as ``yes``."""
    return click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(command)


def confirm(question: str, *, yes: bool) -> None:
    """Ask ``question`` unless ``yes``; anything but a yes stops the command (exit 2).

    Without a terminal to ask on, the answer is no: pass ``--yes`` in scripts.
    """
    if yes:
        return
    try:
        agreed = click.confirm(question, default=False, err=True)
    except click.Abort:
        agreed = False
    if not agreed:
        raise CommandFailed("not confirmed, nothing was sent (pass --yes to skip the question)")


@attrs.define
class App:
    """The state shared by the commands of one invocation (click's ``ctx.obj``).

    Attributes:
        base_url: The API root (default: the client's default, ``NOVOSERVE_BASE_URL``).
        timeout: Seconds per attempt.
        max_retries: Retries after the first attempt.
    """

    base_url: str | None = None
    timeout: float | None = None
    max_retries: int | None = None

    def client(self, **options: Any) -> NovoServe:
        """A client from the command-line options, ``options``, and the environment.

        Raises:
            CommandFailed: the credentials are missing or an option is invalid.
        """
        defaults: dict[str, Any] = {}
        if self.base_url is not None:
            defaults["base_url"] = self.base_url
        if self.timeout is not None:
            defaults["timeout"] = self.timeout
        if self.max_retries is not None:
            defaults["max_retries"] = self.max_retries
        defaults.update(options)
        missing = [name for name in _CREDENTIAL_VARIABLES if not os.environ.get(name)]
        if missing and "api_key" not in defaults:
            raise CommandFailed(
                f"no credentials: {' and '.join(missing)} not set; " + _CREDENTIALS_HELP
            )
        try:
            return NovoServe(**defaults)
        except (NovoServeError, ValueError) as exc:
            raise CommandFailed(str(exc)) from None

    def run(self, main: Callable[[], Awaitable[T]]) -> T:
        """Run ``main`` on an event loop; errors become exit status 2, Ctrl-C 130."""
        try:
            return anyio.run(main)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except NovoServeError as exc:
            raise CommandFailed(f"{type(exc).__name__}: {exc}") from None
        except ValueError as exc:
            # The SDK checks input (tags, addresses, host names) before sending anything.
            raise CommandFailed(str(exc)) from None

    def call(self, request: Callable[[NovoServe], Awaitable[T]]) -> T:
        """Open a client, make one call with it, close it, and return the result."""
        ns = self.client()

        async def main() -> T:
            async with ns:
                return await request(ns)

        return self.run(main)
