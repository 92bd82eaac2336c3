"""CLI tests: the commands run through click against a simulator served on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

from novoserve_async.cli import main
from novoserve_async.testing import Simulator

Invoke = Callable[..., Result]


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """A small simulated fleet on a free loopback port, with the CLI's environment set."""
    with Simulator(servers=12, seed=3) as simulator:
        key, secret = simulator.credentials
        monkeypatch.setenv("NOVOSERVE_API_KEY", key)
        monkeypatch.setenv("NOVOSERVE_API_SECRET", secret)
        monkeypatch.setenv("NOVOSERVE_BASE_URL", simulator.base_url)
        yield simulator


@pytest.fixture
def invoke() -> Invoke:
    """Run the CLI in-process, with fast retries; returns click's Result."""

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, ["--max-retries", "1", *args], input=input)

    return run


def json_lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
