"""``novoserve-async simulate``: prints its URL first, serves, stops on SIGINT and SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from novoserve_async.cli._simulate import simulate

from .conftest import results

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _launch(*options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "novoserve_async.cli._simulate", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_prints_the_base_url_first_serves_it_and_stops_on_sigint() -> None:
    process = _launch("--servers", "4", "--seed", "11")
    assert process.stdout is not None
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        tags = results(httpx.get(f"{url}/servers/", auth=("k", "s")))
        assert len(tags) == 4
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_credentials_and_rate_limit_options_and_sigterm() -> None:
    process = _launch("--api-key", "K", "--api-secret", "S", "--rate-limit", "0.5")
    assert process.stdout is not None
    try:
        url = process.stdout.readline().strip()
        assert httpx.get(f"{url}/servers/", auth=("K", "wrong")).status_code == 401
        limited = httpx.get(f"{url}/servers/", auth=("K", "S"))
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "2"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        _, stderr = process.communicate(timeout=10)
    assert ":S " not in stderr  # the secret is not echoed


def test_error_rate_answers_server_errors() -> None:
    process = _launch("--error-rate", "1", "--latency-ms", "1")
    assert process.stdout is not None
    try:
        url = process.stdout.readline().strip()
        statuses = {httpx.get(f"{url}/servers/", auth=("k", "s")).status_code for _ in range(20)}
        assert statuses <= {500, 502, 503, 504}
        assert len(statuses) > 1
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def test_a_key_needs_a_secret() -> None:
    outcome = CliRunner().invoke(simulate, ["--api-key", "K"])
    assert outcome.exit_code == 2
    assert "--api-secret" in outcome.output
