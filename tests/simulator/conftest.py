"""Fixtures for the simulator's own tests: a small seeded fleet and plain httpx clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from novoserve_async.testing import IN_PROCESS_BASE_URL, Simulator

AUTH = ("any-key", "any-secret")


@pytest.fixture
def sim() -> Simulator:
    return Simulator(servers=20, seed=3)


@pytest.fixture
def tag(sim: Simulator) -> str:
    return sim.tags[0]


@pytest_asyncio.fixture
async def client(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client calling the simulator in-process."""
    async with httpx.AsyncClient(
        transport=sim.transport(), base_url=IN_PROCESS_BASE_URL, auth=AUTH
    ) as http:
        yield http


@pytest.fixture
def served(sim: Simulator) -> Iterator[Simulator]:
    """The same simulator, served over a loopback socket."""
    with sim:
        yield sim


@pytest_asyncio.fixture
async def socket_client(served: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.base_url, auth=AUTH) as http:
        yield http


def results(response: httpx.Response) -> Any:
    """The payload of a successful enveloped response."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    return body["results"]


def error(response: httpx.Response, status: int) -> str:
    """The message of an error envelope, checking the status."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error"
    assert isinstance(body["results"], str)
    return str(body["results"])
