"""pytest fixtures: a NovoServe simulator served on loopback, and a client bound to it.

Opt in from your ``conftest.py``::

    pytest_plugins = ["novoserve_async.testing.pytest_plugin"]

Fixtures (all function-scoped):

- ``novoserve_simulator``: a running :class:`~novoserve_async.testing.Simulator` (uvicorn on
  ``127.0.0.1``, a free port). Configure it per test with
  ``@pytest.mark.novoserve_simulator(servers=10, seed=3, api_key=..., api_secret=...)``
  (keyword arguments of ``Simulator``), or change ``sim.faults`` inside the test.
- ``novoserve_clock``: the :class:`~novoserve_async.FakeClock` the client waits on, so
  backoffs, ``Retry-After`` and 429 pauses take no real time (``clock.sleeps`` lists them).
- ``novoserve_client``: an open :class:`~novoserve_async.NovoServe` pointed at the simulator,
  with the simulator's credentials, ``novoserve_clock`` and tiny backoffs. Override any
  ``NovoServe`` argument with ``@pytest.mark.novoserve_client(max_retries=0, ...)``.

``novoserve_client`` is async: it works in ``pytest-asyncio`` tests (``@pytest.mark.asyncio``)
and in anyio tests (``@pytest.mark.anyio``, asyncio or Trio backend).
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from .._client import NovoServe
from .._clock import FakeClock
from .._retry import RetryPolicy
from ._simulator import Simulator

__all__ = ["novoserve_client", "novoserve_clock", "novoserve_simulator", "pytest_configure"]

#: Backoff of the fixture client: retries happen at once (the fake clock skips waits anyway).
TEST_RETRY_POLICY = RetryPolicy(initial_delay=0.001, max_delay=0.01)


def pytest_configure(config: pytest.Config) -> None:
    """Register the plugin's markers."""
    config.addinivalue_line(
        "markers",
        "novoserve_simulator(**kwargs): keyword arguments for the novoserve_simulator fixture's "
        "Simulator (servers, seed, api_key, api_secret, allowed_tags, faults, envelope)",
    )
    config.addinivalue_line(
        "markers",
        "novoserve_client(**kwargs): keyword arguments for the novoserve_client fixture's "
        "NovoServe (max_retries, timeout, max_concurrency, rate_limit, retry_policy, ...)",
    )


def _marker_kwargs(request: pytest.FixtureRequest, name: str) -> dict[str, Any]:
    marker = request.node.get_closest_marker(name)
    return dict(marker.kwargs) if marker is not None else {}


@pytest.fixture
def novoserve_simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A NovoServe simulator served over loopback for the duration of the test."""
    with Simulator(**_marker_kwargs(request, "novoserve_simulator")) as sim:
        yield sim


@pytest.fixture
def novoserve_clock() -> FakeClock:
    """The fake clock of ``novoserve_client``: waits are recorded, never slept."""
    return FakeClock()


def _make_client(request: pytest.FixtureRequest, sim: Simulator, clock: FakeClock) -> NovoServe:
    key, secret = sim.credentials
    options: dict[str, Any] = {
        "base_url": sim.base_url,
        "clock": clock,
        "retry_policy": TEST_RETRY_POLICY,
    }
    options.update(_marker_kwargs(request, "novoserve_client"))
    return NovoServe(key, secret, **options)


@pytest.fixture
def novoserve_client(request: pytest.FixtureRequest) -> NovoServe:
    """A ``NovoServe`` client bound to ``novoserve_simulator``, closed after the test.

    The client must be opened and closed on the test's own event loop, which belongs to
    whichever plugin runs the test; this picks the fixture that plugin can run.
    """
    if "anyio_backend" in request.fixturenames:
        client: NovoServe = request.getfixturevalue("_novoserve_client_anyio")
    elif _HAVE_PYTEST_ASYNCIO:
        client = request.getfixturevalue("_novoserve_client_asyncio")
    else:  # pragma: no cover - depends on the installation
        raise pytest.UsageError(
            "novoserve_client runs in anyio tests (@pytest.mark.anyio), or in asyncio tests "
            "with pytest-asyncio installed"
        )
    return client


@pytest.fixture
async def _novoserve_client_anyio(
    request: pytest.FixtureRequest, novoserve_simulator: Simulator, novoserve_clock: FakeClock
) -> AsyncIterator[NovoServe]:
    async with _make_client(request, novoserve_simulator, novoserve_clock) as client:
        yield client


async def _client_on_asyncio(
    request: pytest.FixtureRequest, novoserve_simulator: Simulator, novoserve_clock: FakeClock
) -> AsyncIterator[NovoServe]:
    async with _make_client(request, novoserve_simulator, novoserve_clock) as client:
        yield client


_HAVE_PYTEST_ASYNCIO = importlib.util.find_spec("pytest_asyncio") is not None
if _HAVE_PYTEST_ASYNCIO:
    import pytest_asyncio

    _novoserve_client_asyncio = pytest_asyncio.fixture(
        _client_on_asyncio, name="_novoserve_client_asyncio"
    )
