"""The pytest plugin as a user enables it: ``pytest_plugins`` in their own conftest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = 'pytest_plugins = ["novoserve_async.testing.pytest_plugin"]\n'

USER_TESTS = textwrap.dedent(
    """
    import pytest

    from novoserve_async import InternalServerError


    @pytest.fixture(params=["asyncio", "trio"])
    def anyio_backend(request):
        return request.param


    @pytest.mark.asyncio
    async def test_with_pytest_asyncio(novoserve_client, novoserve_simulator):
        assert await novoserve_client.servers.list() == novoserve_simulator.tags


    @pytest.mark.anyio
    async def test_with_anyio_on_asyncio_and_trio(novoserve_client, novoserve_simulator):
        tag = novoserve_simulator.tags[0]
        assert (await novoserve_client.servers.get(tag)).location.rack


    @pytest.mark.asyncio
    async def test_retries_wait_on_the_fake_clock(
        novoserve_client, novoserve_simulator, novoserve_clock
    ):
        route = novoserve_simulator.faults.for_endpoint("GET /servers/")
        route.fail_next(2, status=503, retry_after=30)
        await novoserve_client.servers.list()
        assert novoserve_clock.sleeps == [30.0, 30.0]
        assert novoserve_simulator.request_count("GET", "/servers/") == 3


    @pytest.mark.asyncio
    @pytest.mark.novoserve_simulator(servers=3, seed=9, api_key="k", api_secret="s")
    @pytest.mark.novoserve_client(max_retries=0)
    async def test_markers_configure_both(novoserve_client, novoserve_simulator):
        assert len(novoserve_simulator.tags) == 3
        assert novoserve_simulator.credentials == ("k", "s")
        novoserve_simulator.faults.fail_next(1, status=500)
        with pytest.raises(InternalServerError):
            await novoserve_client.servers.list()
    """
)


def test_the_plugin_gives_a_simulator_and_a_client(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_ADDOPTS", None)
    outcome = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert outcome.returncode == 0, outcome.stdout + outcome.stderr
    assert "5 passed" in outcome.stdout
