"""Serving the simulator over a real socket with uvicorn, in a thread of its own.

The server runs its own asyncio event loop in a daemon thread, so the caller may be a plain
function, an asyncio program or a Trio program. The listening socket is bound before the thread
starts, so the port (even a free one picked with port 0) is known at once and connections made
before uvicorn is ready simply wait in the backlog.

uvicorn is an optional dependency (the ``simulator`` extra) and is imported only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import threading
import time

from ._app import ASGIApp

__all__ = ["UvicornThread"]

_STOP_GRACE = 0.25  # seconds in-flight requests get to finish when the server stops


class UvicornThread:
    """One uvicorn server on ``host:port`` (port 0: a free one), serving ``app`` in a thread."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
        try:
            import uvicorn
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                "Serving the simulator over a socket needs uvicorn: "
                "pip install 'novoserve-async[simulator]' (or use Simulator.transport() "
                "to run it in-process without a socket)"
            ) from exc
        family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only disables Nagle (TCP_NODELAY) on accepted sockets
        # whose proto says TCP, and with Nagle every keep-alive answer waits ~40 ms for an ACK.
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind((host, port))
            self._socket.listen(2048)
        except OSError:
            self._socket.close()
            raise
        self._socket.setblocking(False)
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_config=None,
            log_level=None,
            access_log=False,
            server_header=False,
            lifespan="off",
            timeout_keep_alive=30,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"novoserve-simulator:{self.port}", daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://host:port`` (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if _is_ipv6(self.host) else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Start serving; return once uvicorn accepts connections (blocks the calling thread)."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise RuntimeError("the simulator's server failed to start") from self._error

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish (blocks the calling thread)."""
        loop, event = self._loop, self._stop_event
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(event.set)
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start(); a thread has nowhere else to put it
            self._error = exc
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        server = self._server
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        # The parts of uvicorn.Server.serve() we need, without its 0.1 s polling loop, so that
        # starting and stopping a simulator per test costs milliseconds.
        config = server.config
        if not config.loaded:
            config.load()
        server.lifespan = config.lifespan_class(config)
        await server.startup(sockets=[self._socket])
        self._ready.set()
        tick = 0
        while not self._stop_event.is_set():
            await server.on_tick(tick)  # keeps the Date header current
            tick = (tick + 10) % 864_000
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop_event.wait(), timeout=1.0)
        await self._shutdown()

    async def _shutdown(self) -> None:
        server = self._server
        for listener in server.servers:
            listener.close()
        state = server.server_state
        for connection in list(state.connections):
            connection.shutdown()  # idle keep-alive connections close now, busy ones when done
        deadline = time.monotonic() + _STOP_GRACE
        # uvicorn offers no event for "all connections closed"; poll it briefly.
        while state.connections and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        for task in list(state.tasks):
            task.cancel()
        for connection in list(state.connections):
            transport = getattr(connection, "transport", None)
            if isinstance(transport, asyncio.Transport):
                transport.abort()
        await asyncio.sleep(0)
        for listener in server.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(listener.wait_closed(), timeout=_STOP_GRACE)


def _is_ipv6(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False
