"""Status codes, error envelopes and malformed bodies map to the documented exceptions."""

from __future__ import annotations

import pytest
import respx

from novoserve_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    NovoServe,
    NovoServeError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
)

from .conftest import MakeClient

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, APIStatusError),
        (418, APIStatusError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (507, InternalServerError),
    ],
)
async def test_status_maps_to_error_class(
    make_client: MakeClient, router: respx.MockRouter, status: int, cls: type[APIStatusError]
) -> None:
    ns = make_client(max_retries=0)
    router.get("/servers/123-123").respond(status, json={"status": "error", "results": "nope"})
    with pytest.raises(cls) as caught:
        await ns.servers.get("123-123")
    error = caught.value
    assert type(error) is cls
    assert isinstance(error, NovoServeError)
    assert error.status_code == status
    assert error.body == {"status": "error", "results": "nope"}
    assert error.tag == "123-123"
    assert "nope" in error.message
    assert error.response.status_code == status


async def test_error_body_that_is_not_json_is_kept_as_text(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.get("/servers/123-123").respond(404, text="<html>Not Found</html>")
    with pytest.raises(NotFoundError) as caught:
        await ns.servers.get("123-123")
    assert caught.value.body == "<html>Not Found</html>"


async def test_error_envelope_with_200_raises_api_status_error(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.get("/servers/123-123").respond(
        200, json={"status": "error", "results": "Server not found"}
    )
    with pytest.raises(APIStatusError) as caught:
        await ns.servers.get("123-123")
    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == 200
    assert "Server not found" in str(caught.value)


async def test_error_envelope_is_not_retried(ns: NovoServe, router: respx.MockRouter) -> None:
    route = router.get("/servers/123-123").respond(200, json={"status": "error", "results": "x"})
    with pytest.raises(APIStatusError):
        await ns.servers.get("123-123")
    assert route.call_count == 1


async def test_rate_limit_error_carries_retry_after(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    ns = make_client(max_retries=0)
    router.get("/servers/123-123").respond(429, headers={"Retry-After": "7"})
    with pytest.raises(RateLimitError) as caught:
        await ns.servers.get("123-123")
    assert caught.value.retry_after == 7.0


async def test_rate_limit_error_without_retry_after(
    make_client: MakeClient, router: respx.MockRouter
) -> None:
    ns = make_client(max_retries=0)
    router.get("/servers/123-123").respond(429)
    with pytest.raises(RateLimitError) as caught:
        await ns.servers.get("123-123")
    assert caught.value.retry_after is None


async def test_success_body_that_is_not_json_raises_validation_error(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.get("/servers/123-123").respond(200, text="<html>maintenance</html>")
    with pytest.raises(ResponseValidationError) as caught:
        await ns.servers.get("123-123")
    assert caught.value.body == "<html>maintenance</html>"
    assert caught.value.tag == "123-123"
    assert caught.value.response is not None


@pytest.mark.parametrize(
    "body",
    [
        {"location": {"rack": "x"}, "hardwareProfile": "1"},  # no dataCenter
        {"hardwareProfile": None, "location": {"dataCenter": "x", "rack": "y"}},
        ["not", "an", "object"],
        None,
        {"status": "success", "results": {"unexpected": True}},
    ],
)
async def test_success_body_of_the_wrong_shape_raises_validation_error(
    ns: NovoServe, router: respx.MockRouter, body: object
) -> None:
    router.get("/servers/123-123").respond(200, json=body)
    with pytest.raises(ResponseValidationError) as caught:
        await ns.servers.get("123-123")
    expected = body["results"] if isinstance(body, dict) and "results" in body else body
    assert caught.value.body == expected
    assert "documented shape" in str(caught.value)


async def test_unknown_uid_value_raises_validation_error(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.get("/ilo-uid/123-123").respond(200, text="flashing")
    with pytest.raises(ResponseValidationError) as caught:
        await ns.ilo.uid("123-123")
    assert caught.value.body == "flashing"


async def test_unknown_severity_raises_validation_error(
    ns: NovoServe, router: respx.MockRouter
) -> None:
    router.get("/health-check/hardware/123-123").respond(
        json={
            "issues": [{"eventid": "1", "clock": 0, "name": "x", "severity": "9"}],
            "description": "",
        }
    )
    with pytest.raises(ResponseValidationError):
        await ns.health.hardware("123-123")
