"""Fixtures for the transport-level tests: a client over respx with a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
import respx

from novoserve_async import FakeClock, NovoServe, RetryPolicy

BASE = "https://api.test.novoserve.invalid"
KEY = "key-AKIA1234"
SECRET = "s3cr3t-PLEASE-never-SHOWN"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def router() -> respx.MockRouter:
    with respx.mock(base_url=BASE, assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


MakeClient = Callable[..., NovoServe]


@pytest_asyncio.fixture
async def make_client(router: respx.MockRouter, clock: FakeClock) -> AsyncIterator[MakeClient]:
    made: list[NovoServe] = []

    def make(**kwargs: Any) -> NovoServe:
        options: dict[str, Any] = {
            "base_url": BASE,
            "clock": clock,
            "retry_policy": RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=False),
        }
        options.update(kwargs)
        client = NovoServe(KEY, SECRET, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest_asyncio.fixture
async def ns(make_client: MakeClient) -> NovoServe:
    return make_client()


def envelope(payload: Any) -> dict[str, Any]:
    return {"status": "success", "results": payload}


def json_response(payload: Any, status: int = 200, **kwargs: Any) -> httpx.Response:
    return httpx.Response(status, json=payload, **kwargs)
