"""The ``novoserve-async`` command line (needs the ``cli`` extra: click and rich).

Credentials come from ``NOVOSERVE_API_KEY`` and ``NOVOSERVE_API_SECRET`` (and the API root
from ``NOVOSERVE_BASE_URL``), as for :class:`~novoserve_async.NovoServe`. Every command
takes ``--json``. Exit status: 0 all fine, 1 problems found, 2 the command failed.
"""

from __future__ import annotations

import click

from .._version import __version__
from ._app import App
from ._commands import COMMANDS
from ._scan import scan
from ._simulate import simulate

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--base-url", help="The API root (default: $NOVOSERVE_BASE_URL or NovoServe's).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per attempt.")
@click.option("--max-retries", type=click.IntRange(min=0), help="Retries after the first attempt.")
@click.version_option(__version__, prog_name="novoserve-async")
@click.pass_context
def main(
    ctx: click.Context, base_url: str | None, timeout: float | None, max_retries: int | None
) -> None:
    """novoserve-async: the NovoServe dedicated-server API from the command line.

    Start with `novoserve-async scan --simulate 200` to see a fleet scan without an account.
    """
    app = ctx.ensure_object(App)
    app.base_url = base_url
    app.timeout = timeout
    app.max_retries = max_retries


for _command in (*COMMANDS, scan, simulate):
    main.add_command(_command)
