"""Building the client: credentials, base URL, options, and keeping the secret hidden."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from novoserve_async import APIConnectionError, NotFoundError, NovoServe, NovoServeError

from . import payloads
from .conftest import BASE, KEY, SECRET, MakeClient


def test_missing_credentials_name_both_ways_to_pass_them() -> None:
    with pytest.raises(NovoServeError) as caught:
        NovoServe()
    message = str(caught.value)
    assert "api_key" in message
    assert "NOVOSERVE_API_KEY" in message


def test_missing_secret_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOVOSERVE_API_KEY", "k")
    with pytest.raises(NovoServeError, match="NOVOSERVE_API_SECRET"):
        NovoServe()


@pytest.mark.asyncio
async def test_credentials_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, router: respx.MockRouter
) -> None:
    monkeypatch.setenv("NOVOSERVE_API_KEY", "env-key")
    monkeypatch.setenv("NOVOSERVE_API_SECRET", "env-secret")
    monkeypatch.setenv("NOVOSERVE_BASE_URL", BASE + "/")
    route = router.get("/servers/123-123").respond(json=payloads.SERVER)
    async with NovoServe() as ns:
        assert ns.base_url == BASE
        await ns.servers.get("123-123")
    auth = route.calls.last.request.headers["authorization"]
    assert auth == httpx.BasicAuth("env-key", "env-secret")._auth_header


def test_default_base_url_is_the_https_api() -> None:
    assert NovoServe("k", "s").base_url == "https://api.novoserve.com"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.5.6.7",
        "http://[::1]:9000/",
        "http://localhost:1234",
        "https://api.example.com",
    ],
)
def test_https_or_loopback_base_urls_are_accepted(url: str) -> None:
    assert NovoServe("k", "s", base_url=url).base_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.novoserve.com",
        "http://10.0.0.1",
        "http://192.168.1.10:8080",
        "http://localhost.evil.com",
        "ftp://api.novoserve.com",
        "api.novoserve.com",
        "https://user:pw@api.novoserve.com",
    ],
)
def test_other_base_urls_raise_value_error(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        NovoServe("k", "s", base_url=url)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("max_concurrency", 0),
        ("timeout", 0),
        ("timeout", -3.0),
        ("timeout", float("nan")),
        ("rate_limit", 0),
    ],
)
def test_bad_options_raise_value_error(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=option.split("_")[0]):
        NovoServe("k", "s", **{option: value})  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_secret_never_shown_in_repr_errors_or_logs(
    make_client: MakeClient, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    token = httpx.BasicAuth(KEY, SECRET)._auth_header.split()[1]
    caplog.set_level(logging.DEBUG)
    ns = make_client(max_retries=1)
    router.get("/servers/404-404").respond(404, json={"status": "error", "results": "unknown"})
    router.get("/servers/500-500").respond(503)
    router.get("/servers/111-111").mock(side_effect=httpx.ConnectError("refused"))
    router.get("/servers/123-123").respond(json=payloads.SERVER)
    shown = [repr(ns), str(ns), repr(ns.servers), repr(ns._transport)]
    shown.append(repr(await ns.servers.get("123-123")))
    for tag, cls in [
        ("404-404", NotFoundError),
        ("500-500", NovoServeError),
        ("111-111", APIConnectionError),
    ]:
        with pytest.raises(cls) as caught:
            await ns.servers.get(tag)
        error = caught.value
        shown += [repr(error), str(error), repr(vars(error))]
        if hasattr(error, "response") and error.response is not None:
            shown.append(repr(error.response))
    shown += [record.getMessage() for record in caplog.records]
    shown += [repr(record.args) for record in caplog.records]
    assert any("Retrying" in text for text in shown)  # the retry log lines were captured
    text = "\n".join(shown)
    for secret in (SECRET, token, KEY):
        assert secret not in text


@pytest.mark.asyncio
async def test_closing_twice_is_harmless(make_client: MakeClient) -> None:
    ns = make_client()
    await ns.aclose()
    await ns.aclose()
