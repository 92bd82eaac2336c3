"""End-to-end tests: NovoServe over a real loopback socket against the simulator (uvicorn).

The fixtures are the ones users get from ``novoserve_async.testing.pytest_plugin``
(``novoserve_simulator``, ``novoserve_client``, ``novoserve_clock``), so the suite dogfoods
them. Only the root conftest may list ``pytest_plugins``; this conftest loads the plugin itself.
"""

from __future__ import annotations

import pytest

from novoserve_async import NovoServe
from novoserve_async.testing import Simulator

PLUGIN = "novoserve_async.testing.pytest_plugin"


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN):
        config.pluginmanager.import_plugin(PLUGIN)


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sim(novoserve_simulator: Simulator) -> Simulator:
    """The running simulator (``novoserve_simulator``)."""
    return novoserve_simulator


@pytest.fixture
def ns(novoserve_client: NovoServe) -> NovoServe:
    """The client bound to it (``novoserve_client``)."""
    return novoserve_client


@pytest.fixture
def tag(sim: Simulator) -> str:
    return sim.tags[0]
