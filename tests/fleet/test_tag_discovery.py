"""Tag discovery: ``ns.servers.list()`` reads ``GET /servers/`` in every shape it may take."""

from __future__ import annotations

from typing import Any

import pytest

from novoserve_async import ResponseValidationError

from .fakeapi import FakeAPI

pytestmark = pytest.mark.anyio

ITEMS: list[Any] = [
    "100-001",
    {"id": "100-002", "name": "web"},
    {"tag": "100-003"},
    {"serverTag": "100-004", "location": {}},
]


@pytest.mark.parametrize("enveloped", [False, True], ids=["bare", "envelope"])
async def test_strings_and_objects_carrying_the_tag(enveloped: bool) -> None:
    api = FakeAPI()
    api.servers_list = {"status": "success", "results": ITEMS} if enveloped else ITEMS
    async with api.client() as ns:
        assert await ns.servers.list() == ["100-001", "100-002", "100-003", "100-004"]


async def test_an_object_keyed_by_tag() -> None:
    api = FakeAPI()
    api.servers_list = {"100-001": {"name": "a"}, "100-002": {"name": "b"}}
    async with api.client() as ns:
        assert await ns.servers.list() == ["100-001", "100-002"]


async def test_an_empty_account() -> None:
    api = FakeAPI()
    api.servers_list = []
    async with api.client() as ns:
        assert await ns.servers.list() == []


async def test_an_item_without_a_tag_is_a_validation_error() -> None:
    api = FakeAPI()
    api.servers_list = [{"name": "no tag here"}]
    async with api.client() as ns:
        with pytest.raises(ResponseValidationError, match="serverTag"):
            await ns.servers.list()
