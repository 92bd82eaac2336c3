"""``Simulator``: a fake NovoServe API, in-process or served over loopback."""

from __future__ import annotations

import types
from collections.abc import Iterable

import anyio.to_thread
import httpx

from ._app import ASGIApp, SimulatedConnectionReset, SimulatorApp
from ._faults import Faults, check_route
from ._fleet import ClientStateEntry, SimulatedServer
from ._server import UvicornThread

__all__ = ["IN_PROCESS_BASE_URL", "Simulator", "SimulatorTransport"]

IN_PROCESS_BASE_URL = "http://127.0.0.1"
"""The base URL to use with :meth:`Simulator.transport` (loopback, so the SDK accepts it)."""

DEFAULT_API_KEY = "simulator-key"
DEFAULT_API_SECRET = "simulator-secret"


class SimulatorTransport(httpx.AsyncBaseTransport):
    """An ``httpx`` transport calling the simulator in-process, without a socket.

    It wraps ``httpx.ASGITransport`` and turns the simulator's connection resets into
    ``httpx.ReadError``, the network failure a real reset produces. Note that httpx applies no
    timeouts to in-process calls: to test timeouts, serve the simulator over a socket.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app, client=("127.0.0.1", 49152))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request to the app."""
        try:
            return await self._inner.handle_async_request(request)
        except SimulatedConnectionReset as exc:
            raise httpx.ReadError("connection reset by peer (simulated)", request=request) from exc

    async def aclose(self) -> None:
        """Close the transport."""
        await self._inner.aclose()


class Simulator:
    """A realistic fake of the NovoServe API over a generated fleet of ``servers`` servers.

    The same ``seed`` always gives the same fleet. Use it in-process (``sim.app``, an ASGI
    application, or ``sim.transport()`` for httpx) or serve it over loopback with uvicorn::

        async with Simulator(servers=50) as sim:  # also `with Simulator() as sim:`
            async with NovoServe("key", "secret", base_url=sim.base_url) as ns:
                print(await ns.servers.get(sim.tags[0]))

    Any Basic credentials are accepted unless ``api_key`` and ``api_secret`` are given (then
    others get 401); ``allowed_tags`` limits the key to those servers (others get 403).
    ``envelope`` wraps successful bodies as ``{"status": "success", "results": ...}``;
    ``bare_routes`` lists routes answered bare all the same. ``faults`` sets the fault
    injection (also reachable, and changeable at any time, as ``sim.faults``).

    What requests do to the simulated state (read it back with :meth:`server`):

    - ``POST /os-install/{tag}`` with an image id from that server's listing starts an
      install: the client state becomes ``installing`` (details name the image), iLO
      ``pxe-once`` is set and the install is recorded in ``server(tag).installs``. Another
      install while one runs is ``409``; :meth:`finish_install` completes it. An id the
      server does not offer is ``400``.
    - ``POST /rdns/{tag}`` sets the name of the row whose ``interfaceip`` equals ``ip``; an
      address that is not one of the server's rows, or a bad host name, is ``400``.
    - ``POST /powerstate/{tag}`` switches the power (``reset``/``coldboot`` leave it on);
      ``POST /webiso-installs/{tag}`` mounts one of the offered ISO URLs (others: ``400``),
      ``DELETE`` unmounts (idempotent).
    - A malformed or incomplete JSON body is ``400``; an unknown tag or path ``404``; a
      known path with the wrong method ``405``. A request without Basic credentials is
      ``401`` even when any credentials are accepted. Errors use the error envelope.
    """

    def __init__(
        self,
        servers: int = 50,
        *,
        seed: int = 0,
        api_key: str | None = None,
        api_secret: str | None = None,
        allowed_tags: Iterable[str] | None = None,
        faults: Faults | None = None,
        envelope: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._app = SimulatorApp(
            servers,
            seed=seed,
            api_key=api_key,
            api_secret=api_secret,
            allowed_tags=allowed_tags,
            faults=faults,
            envelope=envelope,
        )
        self.host = host
        self.port = port
        self._server: UvicornThread | None = None

    # -- configuration and state ------------------------------------------------------------

    @property
    def app(self) -> ASGIApp:
        """The ASGI application (mount it in any ASGI server or ``httpx.ASGITransport``)."""
        return self._app

    @property
    def seed(self) -> int:
        """The seed the fleet was generated from."""
        return self._app.seed

    @property
    def tags(self) -> list[str]:
        """Every server tag of the fleet, in the order ``GET /servers/`` lists them."""
        return list(self._app.fleet)

    @property
    def credentials(self) -> tuple[str, str]:
        """An API key and secret the simulator accepts (the configured ones, if any)."""
        if self._app.api_key is not None and self._app.api_secret is not None:
            return self._app.api_key, self._app.api_secret
        return DEFAULT_API_KEY, DEFAULT_API_SECRET

    @property
    def faults(self) -> Faults:
        """The fault-injection settings, simulator-wide and per route (mutable)."""
        return self._app.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        faults.validate()
        self._app.faults = faults

    @property
    def envelope(self) -> bool:
        """Whether successful bodies are wrapped in ``{"status": "success", "results": ...}``."""
        return self._app.envelope

    @envelope.setter
    def envelope(self, value: bool) -> None:
        self._app.envelope = value

    @property
    def bare_routes(self) -> set[str]:
        """Routes (``"GET /ilo-uid/{tag}"``) answered without the envelope even when it is on."""
        return self._app.bare_routes

    def set_faults(self, route: str, faults: Faults) -> None:
        """Replace the faults of one route (``"GET /servers/{tag}"``) with ``faults``."""
        faults.validate()
        self._app.faults.endpoints[check_route(route)] = faults

    def server(self, tag: str) -> SimulatedServer:
        """The simulated server with this tag (its state is live: read or change it)."""
        return self._app.fleet[tag]

    @property
    def servers(self) -> list[SimulatedServer]:
        """Every simulated server."""
        return list(self._app.fleet.values())

    def finish_install(self, tag: str) -> None:
        """Complete a running OS installation: the server becomes ``active`` with its new OS."""
        server = self.server(tag)
        if not server.installs or not server.installing:
            raise ValueError(f"no installation is running on {tag}")
        last = server.installs[-1]
        server.os_name = last.os_id.removeprefix("os-install-")
        server.client_states = [
            ClientStateEntry("active", int(last.started), {"os": server.os_name})
        ]
        server.pxe_once = False

    def request_count(self, method: str, route: str, *, tag: str | None = None) -> int:
        """Requests that reached the simulator for ``method`` and ``route`` (``"/servers/{tag}"``).

        Every request counts, faulted ones included; ``tag`` narrows it to one server.
        """
        return self._app.request_count(method, route, tag=tag)

    def request_counts(self) -> dict[str, int]:
        """Requests per ``"METHOD /route"``; paths matching no route appear as sent."""
        return self._app.request_counts()

    def reset_counts(self) -> None:
        """Forget every request counted so far."""
        self._app.reset_counts()

    # -- in-process use ---------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport calling the simulator in-process (use base URL ``http://127.0.0.1``)."""
        return SimulatorTransport(self._app)

    # -- serving over a socket --------------------------------------------------------------

    @property
    def serving(self) -> bool:
        """Whether the simulator is being served over a socket."""
        return self._server is not None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` while serving; ``http://127.0.0.1`` for in-process use."""
        return self._server.base_url if self._server is not None else IN_PROCESS_BASE_URL

    def start(self) -> None:
        """Serve over ``host:port`` with uvicorn in a background thread (blocks until ready)."""
        if self._server is not None:
            raise RuntimeError("the simulator is already serving")
        server = UvicornThread(self._app, self.host, self.port)
        server.start()
        self._server = server

    def stop(self) -> None:
        """Stop serving (a no-op when not serving)."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Simulator:
        await anyio.to_thread.run_sync(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: types.TracebackType | None,
    ) -> None:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(self.stop)

    def __repr__(self) -> str:
        state = f"serving at {self.base_url}" if self.serving else "not serving"
        return f"<Simulator servers={len(self._app.fleet)} seed={self.seed} {state}>"
