"""What the httpx backend reports about a failed attempt: was the request sent?"""

from __future__ import annotations

import socket

import anyio
import httpx
import pytest

from novoserve_async import APIConnectionError
from novoserve_async._backend import AttemptState, BackendRequest, HttpxBackend


def test_untracked_requests_always_count_as_sent() -> None:
    state = AttemptState(track_sending=False)
    assert not state.tracking
    assert state.request_sent


def test_tracked_request_without_events_counts_as_maybe_sent() -> None:
    # A transport that reports no progress (a mock, an ASGI app) proves nothing.
    assert AttemptState(track_sending=True).request_sent


def test_tracked_request_is_unsent_until_its_headers_start() -> None:
    state = AttemptState(track_sending=True)
    state.observe(sending=False)  # e.g. connection.connect_tcp.started
    assert not state.request_sent
    state.observe(sending=True)  # http11.send_request_headers.started
    assert state.request_sent


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.asyncio
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_refused_connection_is_reported_as_not_sent(method: str) -> None:
    backend = HttpxBackend.create(max_connections=1, timeout=httpx.Timeout(2.0), headers={})
    request = BackendRequest(
        method=method,
        url=f"http://127.0.0.1:{closed_port()}/servers/1-1",
        content=b"{}" if method == "POST" else None,
        idempotent=method == "GET",
    )
    try:
        with pytest.raises(APIConnectionError) as caught:
            await backend.send(request, AttemptState(track_sending=not request.idempotent))
    finally:
        await backend.aclose()
    assert not caught.value.request_sent
    assert "ConnectError" in str(caught.value)


@pytest.mark.asyncio
async def test_post_whose_headers_went_out_is_reported_as_sent() -> None:
    # A server that accepts the connection and closes it after reading the request.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    backend = HttpxBackend.create(max_connections=1, timeout=httpx.Timeout(2.0), headers={})
    request = BackendRequest(
        method="POST",
        url=f"http://127.0.0.1:{port}/powerstate/1-1",
        content=b'{"action":"reset"}',
        idempotent=False,
    )

    async def serve_once() -> None:
        await anyio.to_thread.run_sync(_read_request_and_hang_up, listener)

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(serve_once)
            with pytest.raises(APIConnectionError) as caught:
                await backend.send(request, AttemptState(track_sending=True))
    finally:
        await backend.aclose()
        listener.close()
    assert caught.value.request_sent


def _read_request_and_hang_up(listener: socket.socket) -> None:
    # Blocking calls, run in a worker thread: the event loop stays free to send the request.
    listener.setblocking(True)
    listener.settimeout(5)
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(5)
        conn.recv(65536)
