"""``novoserve-async simulate``: serve the NovoServe API simulator until interrupted."""

from __future__ import annotations

import contextlib
import signal
import threading
import types
from collections.abc import Iterator

import click

from ..testing import Faults, Latency, RateLimit, Simulator

__all__ = ["simulate"]

# A server error rate is spread over the statuses a real API gateway answers with.
_ERROR_STATUSES = (500, 502, 503, 504)


@click.command("simulate")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--servers",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Number of simulated servers in the fleet.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same seed gives the same fleet."
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(min=0),
    default=0.0,
    help="Mean added latency per request, in ms (exponentially distributed).",
)
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of requests answered with a 500, 502, 503 or 504.",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Requests per second allowed (token bucket); excess requests get 429 + Retry-After.",
)
@click.option("--api-key", default=None, help="Accept only this API key (with --api-secret).")
@click.option("--api-secret", default=None, help="Accept only this API secret (with --api-key).")
@click.option(
    "--allowed-tag",
    "allowed_tags",
    multiple=True,
    help="Restrict the key to this server tag (repeatable); other tags get 403.",
)
@click.option("--no-envelope", is_flag=True, help='Send bare bodies, not {"status", "results"}.')
def simulate(
    host: str,
    port: int,
    servers: int,
    seed: int,
    latency_ms: float,
    error_rate: float,
    rate_limit: float | None,
    api_key: str | None,
    api_secret: str | None,
    allowed_tags: tuple[str, ...],
    no_envelope: bool,
) -> None:
    """Serve a simulated NovoServe API over HTTP until interrupted (Ctrl+C or SIGTERM).

    The first line printed is the base URL (http://HOST:PORT) to pass to NovoServe(base_url=...).
    """
    if (api_key is None) != (api_secret is None):
        raise click.UsageError("--api-key and --api-secret go together")
    faults = Faults(
        latency=Latency.exponential(latency_ms / 1000) if latency_ms > 0 else None,
        error_rates={status: error_rate / len(_ERROR_STATUSES) for status in _ERROR_STATUSES}
        if error_rate > 0
        else None,
        rate_limit=RateLimit(rate_limit) if rate_limit is not None else None,
    )
    sim = Simulator(
        servers,
        seed=seed,
        api_key=api_key,
        api_secret=api_secret,
        allowed_tags=allowed_tags or None,
        faults=faults,
        envelope=not no_envelope,
        host=host,
        port=port,
    )
    # Handlers go in before the URL is printed: whoever reads it may signal at once.
    with _stop_on_signals() as stop:
        try:
            sim.start()
        except OSError as exc:
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc}") from exc
        try:
            click.echo(sim.base_url)  # first line of stdout: scripts read the URL from here
            who, user = ("the given", f"{api_key}:SECRET") if api_key else ("any", "key:secret")
            click.echo(
                f"Simulating {len(sim.tags)} servers (seed {seed}); accepting {who} credentials.\n"
                f"Try: curl -u {user} {sim.base_url}/servers/\n"
                "Press Ctrl+C to stop.",
                err=True,
            )
            while not stop.wait(0.5):  # a timeout keeps Ctrl+C responsive on Windows
                pass
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM while the block runs."""
    stop = threading.Event()

    def handle(signum: int, frame: types.FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":  # python -m novoserve_async.cli._simulate
    simulate()
