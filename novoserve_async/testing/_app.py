"""The simulator's ASGI application: NovoServe's API over a simulated fleet, with faults.

Pure ASGI (no framework). Every request is counted, then goes through the fault pipeline
(latency, scripted faults, rate limits, random errors), authentication, routing and its
handler; resets, malformed bodies and trickling are applied to the answer on the way out.
The handlers are synchronous and change state in one step, so concurrent requests on the
serving event loop never see a half-made change. Waiting uses ``anyio.sleep``, so the app runs
under asyncio (uvicorn) as well as under Trio (``httpx.ASGITransport`` in a Trio test).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import contextlib
import datetime
import hmac
import http
import ipaddress
import json
import random
import re
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any

import anyio
import anyio.lowlevel
import attrs

from ._catalog import ISO_IMAGES
from ._documents import (
    ILO_RESOURCES,
    bandwidth_document,
    ilo_control_document,
    ilo_health_document,
    os_image,
    os_listing,
)
from ._faults import ActiveFaults, Faults, LatencySpec, ScriptedFault, Trickle
from ._fleet import ClientStateEntry, InstallRecord, SimulatedServer, generate_fleet, human_time
from ._routes import Route, match_route

__all__ = [
    "ASGIApp",
    "Message",
    "Receive",
    "Scope",
    "Send",
    "SimulatedConnectionReset",
    "SimulatorApp",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_TAG = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_MAX_BODY = 1 << 20
_DEFAULT_PERIOD = 35
_MAX_PERIOD = 1100
_POWER_ACTIONS = {"poweron": "on", "poweroff": "off", "reset": "on", "coldboot": "on"}
_ISO_BY_URL = {iso.url: iso for iso in ISO_IMAGES}


class SimulatedConnectionReset(Exception):
    """Raised by the app to drop a connection where it cannot abort the socket itself.

    The simulator's own transport (``Simulator.transport()``) turns it into
    ``httpx.ReadError``; a plain ``httpx.ASGITransport`` would let it escape as is.
    """


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@attrs.frozen
class _Request:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    params: Mapping[str, str]

    def json_object(self) -> dict[str, object]:
        """The body as a JSON object, or a 400 the way the API answers a bad body."""
        try:
            decoded = json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _HTTPError(400, "Malformed JSON in request body") from None
        if not isinstance(decoded, dict):
            raise _HTTPError(400, "Request body must be a JSON object")
        return decoded

    def string_field(self, name: str) -> str:
        """A required non-empty string field of the JSON body."""
        value = self.json_object().get(name)
        if value is None:
            raise _HTTPError(400, f"Missing required field '{name}'")
        if not isinstance(value, str) or not value.strip():
            raise _HTTPError(400, f"Field '{name}' must be a non-empty string")
        return value.strip()

    def int_param(self, name: str) -> int | None:
        """An optional integer query parameter."""
        values = self.query.get(name)
        if not values or values[-1] == "":
            return None
        try:
            return int(values[-1])
        except ValueError:
            raise _HTTPError(400, f"Parameter '{name}' must be an integer") from None


@attrs.define
class _Answer:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = attrs.field(factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _format_seconds(seconds: float) -> str:
    if seconds == int(seconds):
        return str(int(seconds))
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def _valid_hostname(name: str) -> bool:
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(_HOST_LABEL.fullmatch(label) for label in name.split("."))


def _date_of(timestamp: int) -> datetime.date:
    try:
        return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise _HTTPError(400, f"Timestamp out of range: {timestamp}") from None


def _socket_transport(send: Send) -> asyncio.Transport | None:
    """The connection's asyncio transport when uvicorn serves us (its send is a bound method)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.Transport) else None


async def _drop_connection(send: Send) -> None:
    """Reset the connection: a TCP RST over a socket, ``SimulatedConnectionReset`` in-process."""
    transport = _socket_transport(send)
    if transport is None:
        raise SimulatedConnectionReset("connection reset by the simulator")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0: closing sends RST instead of FIN, as a crashed peer or proxy would.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let the server notice the lost connection before we return without a response.
    await anyio.lowlevel.checkpoint()
    await anyio.lowlevel.checkpoint()


class SimulatorApp:
    """The ASGI application behind :class:`~novoserve_async.testing.Simulator`.

    It holds the fleet, the fault settings and the request counts; ``Simulator`` exposes them.
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
    ) -> None:
        if (api_key is None) != (api_secret is None):
            raise ValueError("give both api_key and api_secret, or neither")
        self.seed = seed
        self.fleet: dict[str, SimulatedServer] = {s.tag: s for s in generate_fleet(servers, seed)}
        self.api_key = api_key
        self.api_secret = api_secret
        self.allowed_tags: frozenset[str] | None = (
            None if allowed_tags is None else frozenset(allowed_tags)
        )
        self.faults = faults if faults is not None else Faults()
        self.faults.validate()
        self.envelope = envelope
        self.bare_routes: set[str] = set()
        self._counts: collections.Counter[tuple[str, str, str | None]] = collections.Counter()
        self._counts_lock = threading.Lock()
        self._rng = random.Random(f"novoserve-faults:{seed}")
        self._tokens = random.Random(f"novoserve-console:{seed}")
        self._handlers: dict[str, Callable[[_Request, SimulatedServer | None], object]] = {
            "GET /servers/": self._list_servers,
            "GET /servers/{tag}": self._get_server,
            "GET /bandwidth/{tag}": self._get_bandwidth,
            "GET /os-install/{tag}": lambda _, server: os_listing(_known(server)),
            "POST /os-install/{tag}": self._install_os,
            "GET /webiso-installs/": self._list_isos,
            "GET /webiso-installs/{tag}": self._list_isos,
            "POST /webiso-installs/{tag}": self._mount_iso,
            "DELETE /webiso-installs/{tag}": self._unmount_iso,
            "GET /rdns/{tag}": lambda _, server: [row.to_json() for row in _known(server).rdns],
            "POST /rdns/{tag}": self._set_rdns,
            "GET /client-state/{tag}": self._client_state,
            "GET /ilo-uid/{tag}": lambda _, server: _known(server).ilo_uid,
            "GET /ilo-controls/{resource}/{tag}": self._ilo_control,
            "GET /health-check/hardware/{tag}": self._hardware_health,
            "GET /health-check/ilo/{tag}": lambda _, s: ilo_health_document(_known(s), self.seed),
            "GET /network-info/{tag}": self._network_info,
            "GET /powerstate/{tag}": lambda _, server: {"powerstate": _known(server).power},
            "POST /powerstate/{tag}": self._set_power,
            "POST /console-url/{tag}": self._console_url,
        }

    # -- request counting -------------------------------------------------------------------

    def request_count(self, method: str, route: str, *, tag: str | None = None) -> int:
        """How many requests reached the app for ``method`` and ``route`` (optionally one tag)."""
        method = method.upper()
        with self._counts_lock:
            return sum(
                count
                for (m, r, t), count in self._counts.items()
                if m == method and r == route and (tag is None or t == tag)
            )

    def request_counts(self) -> dict[str, int]:
        """Requests per ``"METHOD /route"`` (unknown paths appear under their raw path)."""
        totals: collections.Counter[str] = collections.Counter()
        with self._counts_lock:
            for (method, route, _), count in self._counts.items():
                totals[f"{method} {route}"] += count
        return dict(totals)

    def reset_counts(self) -> None:
        """Forget every request counted so far."""
        with self._counts_lock:
            self._counts.clear()

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # websockets are not part of this API
            return
        method = str(scope["method"]).upper()
        path = str(scope["path"])
        route, params, allowed = match_route(method, path)
        with self._counts_lock:
            template = route.template if route is not None else path
            self._counts[(method, template, params.get("tag"))] += 1

        received = await self._read_body(receive)
        if received is None:  # the client went away
            return
        body, too_large = received
        active = self.faults.resolve(route.key if route is not None else None)
        scripted = active.scripted
        latency = self._latency(active.latency)
        if scripted is not None and scripted.kind == "delay":
            latency += scripted.delay
        if latency > 0:
            await anyio.sleep(latency)

        answer, limit_headers = self._pre_handler_fault(active)
        if answer is None:
            answer = self._handle(route, params, allowed, scope, body, too_large)
            if self._happens("reset", active.reset_rate, scripted):
                await _drop_connection(send)
                return
            if self._happens("malformed", active.malformed_rate, scripted) and answer.ok:
                answer = _Answer(200, answer.body[: max(1, len(answer.body) // 2)])
        answer.headers.extend(limit_headers)
        await self._send(send, answer, active.trickle)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _read_body(receive: Receive) -> tuple[bytes, bool] | None:
        """The request body and whether it was too large; ``None`` if the client left."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            if size <= _MAX_BODY:
                chunks.append(chunk)
            if not message.get("more_body", False):
                return (b"".join(chunks), False) if size <= _MAX_BODY else (b"", True)

    async def _send(self, send: Send, answer: _Answer, trickle: Trickle | None) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(answer.body)).encode()),
        ]
        headers += [(name.lower().encode(), value.encode()) for name, value in answer.headers]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        body = answer.body
        if trickle is not None:
            while len(body) > trickle.chunk_size:
                chunk, body = body[: trickle.chunk_size], body[trickle.chunk_size :]
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await anyio.sleep(trickle.delay)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    # -- faults -----------------------------------------------------------------------------

    def _latency(self, spec: LatencySpec | None) -> float:
        if spec is None:
            return 0.0
        if callable(spec):
            return max(0.0, float(spec(self._rng)))
        return float(spec)

    def _pre_handler_fault(
        self, active: ActiveFaults
    ) -> tuple[_Answer | None, list[tuple[str, str]]]:
        """A scripted status, a rate-limit 429 or a random error: the request is not handled.

        Also returns the rate-limit headers for an answer that goes ahead.
        """
        scripted = active.scripted
        if scripted is not None and scripted.kind == "status":
            return self._error_answer(scripted.status, scripted.message, scripted.retry_after), []
        limit_headers: list[tuple[str, str]] = []
        for bucket in active.rate_limits:
            allowed, wait, remaining = bucket.acquire()
            limit_headers = [
                ("X-RateLimit-Limit", str(bucket.capacity)),
                ("X-RateLimit-Remaining", str(remaining)),
            ]
            if not allowed:
                answer = self._error_answer(429, "Rate limit exceeded", bucket.retry_after(wait))
                return attrs.evolve(answer, headers=answer.headers + limit_headers), []
        if active.error_rates:
            draw = self._rng.random()
            for status, rate in sorted(active.error_rates.items()):
                if draw < rate:
                    retry_after = active.retry_after if status in (429, 503) else None
                    return self._error_answer(status, None, retry_after), limit_headers
                draw -= rate
        return None, limit_headers

    def _happens(self, kind: str, rate: float, scripted: ScriptedFault | None) -> bool:
        """Whether a reset or malformed body happens: scripted, else drawn at ``rate``."""
        if scripted is not None:
            return scripted.kind == kind
        return rate > 0 and self._rng.random() < rate

    @staticmethod
    def _error_answer(status: int, message: str | None, retry_after: float | None) -> _Answer:
        if message is None:
            try:
                message = http.HTTPStatus(status).phrase
            except ValueError:
                message = "Error"
        headers = [] if retry_after is None else [("Retry-After", _format_seconds(retry_after))]
        body = json.dumps({"status": "error", "results": message}, separators=(",", ":"))
        return _Answer(status, body.encode(), headers)

    # -- routing and handlers ---------------------------------------------------------------

    def _handle(
        self,
        route: Route | None,
        params: Mapping[str, str],
        allowed: list[str],
        scope: Scope,
        body: bytes,
        too_large: bool,
    ) -> _Answer:
        method = str(scope["method"]).upper()
        path = str(scope["path"])
        try:
            self._authenticate(scope)
            if route is None:
                if allowed:
                    raise _HTTPError(405, "Method not allowed", [("Allow", ", ".join(allowed))])
                raise _HTTPError(404, f"Not found: {path}")
            query_string = bytes(scope.get("query_string", b"")).decode("latin-1")
            headers = {
                bytes(name).decode("latin-1").lower(): bytes(value).decode("latin-1")
                for name, value in scope.get("headers", [])
            }
            request = _Request(
                method, path, urllib.parse.parse_qs(query_string), headers, body, params
            )
            if too_large:
                raise _HTTPError(413, "Request body too large")
            server = self._server_for(params.get("tag"))
            payload = self._handlers[route.key](request, server)
        except _HTTPError as error:
            answer = self._error_answer(error.status, error.message, None)
            answer.headers.extend(error.headers)
            return answer
        if self.envelope and route.key not in self.bare_routes:
            payload = {"status": "success", "results": payload}
        return _Answer(200, json.dumps(payload, separators=(",", ":")).encode())

    def _authenticate(self, scope: Scope) -> None:
        challenge = [("WWW-Authenticate", 'Basic realm="NovoServe API"')]
        header = next(
            (
                bytes(value).decode("latin-1")
                for name, value in scope.get("headers", [])
                if bytes(name).lower() == b"authorization"
            ),
            None,
        )
        if header is None:
            raise _HTTPError(401, "Authentication required", challenge)
        scheme, _, encoded = header.partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        key, colon, secret = decoded.partition(":")
        if scheme.lower() != "basic" or not colon or not key:
            raise _HTTPError(401, "Invalid authorization header", challenge)
        if self.api_key is not None and self.api_secret is not None:
            good_key = hmac.compare_digest(key.encode(), self.api_key.encode())
            good_secret = hmac.compare_digest(secret.encode(), self.api_secret.encode())
            if not (good_key and good_secret):
                raise _HTTPError(401, "Invalid API credentials", challenge)

    def _server_for(self, tag: str | None) -> SimulatedServer | None:
        if tag is None:
            return None
        if self.allowed_tags is not None and tag not in self.allowed_tags:
            raise _HTTPError(403, f"This API key is not allowed to access server {tag}")
        server = self.fleet.get(tag) if _TAG.fullmatch(tag) else None
        if server is None:
            raise _HTTPError(404, f"Server {tag} not found")
        return server

    def _list_servers(self, request: _Request, server: SimulatedServer | None) -> object:
        return [tag for tag in self.fleet if self.allowed_tags is None or tag in self.allowed_tags]

    @staticmethod
    def _get_server(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        return {
            "location": {
                "dataCenter": server.data_center.name,
                "rack": server.rack,
                "unit": server.unit,
                "rackId": server.rack_id,
            },
            "hardwareProfile": server.profile.id,
        }

    def _get_bandwidth(self, request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        period = request.int_param("period")
        start = request.int_param("start")
        end = request.int_param("end")
        if period is not None and period < 1:
            raise _HTTPError(400, "Parameter 'period' must be a positive number of days")
        today = datetime.datetime.now(datetime.timezone.utc).date()
        days = period if period is not None else _DEFAULT_PERIOD
        if start is not None and end is not None:
            if start > end:
                raise _HTTPError(400, "Parameter 'start' must not be after 'end'")
            first, last = _date_of(start), _date_of(end)
        elif start is not None:
            first = _date_of(start)
            last = first + datetime.timedelta(days=days - 1)
        else:
            last = _date_of(end) if end is not None else today
            first = last - datetime.timedelta(days=days - 1)
        last = min(last, today)
        if (last - first).days >= _MAX_PERIOD:
            raise _HTTPError(400, f"Requested period is too long (at most {_MAX_PERIOD} days)")
        return bandwidth_document(server, self.seed, first, last)

    @staticmethod
    def _install_os(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        image_id = request.string_field("os")
        image = os_image(image_id)
        if image is None or image_id not in server.profile.os_ids:
            raise _HTTPError(400, f"OS image '{image_id}' is not available for server {server.tag}")
        if server.installing:
            raise _HTTPError(409, f"An OS installation is already running on server {server.tag}")
        now = time.time()
        server.installs.append(InstallRecord(image.id, image.name, now))
        server.client_states = [
            ClientStateEntry(
                "installing",
                int(now),
                {"os": image.id, "name": image.name, "progress": 0, "step": "PXE boot"},
            )
        ]
        server.pxe_once = True
        server.power = "on"
        return {
            "message": f"Installation of {image.name} started; the server will be wiped",
            "os": image.id,
            "name": image.name,
            "state": "installing",
        }

    @staticmethod
    def _list_isos(request: _Request, server: SimulatedServer | None) -> object:
        return [{"url": iso.url, "name": iso.name} for iso in ISO_IMAGES]

    @staticmethod
    def _mount_iso(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        url = request.string_field("url")
        iso = _ISO_BY_URL.get(url)
        if iso is None:
            raise _HTTPError(400, f"Unknown ISO URL: {url}")
        server.mounted_iso = iso
        return {
            "message": f"{iso.name} is inserted as virtual media and boots once",
            "name": iso.name,
            "url": iso.url,
        }

    @staticmethod
    def _unmount_iso(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        previous, server.mounted_iso = server.mounted_iso, None
        if previous is None:
            return {"message": "No virtual media was inserted", "name": None, "url": None}
        return {"message": f"{previous.name} ejected", "name": previous.name, "url": previous.url}

    @staticmethod
    def _set_rdns(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        raw_ip = request.string_field("ip")
        rdns = request.string_field("rdns")
        try:
            ip = ipaddress.ip_address(raw_ip)
        except ValueError:
            raise _HTTPError(400, f"Invalid IP address: {raw_ip}") from None
        if not _valid_hostname(rdns):
            raise _HTTPError(400, f"Invalid hostname: {rdns}")
        for row in server.rdns:
            if ipaddress.ip_address(row.interface_ip) == ip:
                row.rdns = rdns
                return row.to_json()
        raise _HTTPError(400, f"IP address {raw_ip} is not assigned to server {server.tag}")

    @staticmethod
    def _client_state(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        return [entry.to_json(server.tag) for entry in server.client_states]

    def _ilo_control(self, request: _Request, server: SimulatedServer | None) -> object:
        resource = request.params["resource"]
        if resource not in ILO_RESOURCES:
            raise _HTTPError(404, f"Unknown ILO resource '{resource}'")
        return ilo_control_document(_known(server), resource, self.seed)

    @staticmethod
    def _hardware_health(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        return {
            "issues": [issue.to_json() for issue in server.issues],
            "description": "".join(f"[{i.severity}] {i.name}\n" for i in server.issues),
        }

    @staticmethod
    def _network_info(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        return {
            "ip": str(server.primary.ip),
            "subnet": str(server.primary.netmask),
            "gateway": server.gateway,
        }

    @staticmethod
    def _set_power(request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        action = request.string_field("action")
        if action not in _POWER_ACTIONS:
            choices = ", ".join(_POWER_ACTIONS)
            raise _HTTPError(400, f"Invalid action '{action}'; expected one of: {choices}")
        server.power = _POWER_ACTIONS[action]
        server.power_actions.append(action)
        return {"action": action, "powerstate": server.power, "message": f"{action} sent to iLO"}

    def _console_url(self, request: _Request, server: SimulatedServer | None) -> object:
        server = _known(server)
        remote_ip = request.string_field("remoteIp")
        try:
            ipaddress.ip_address(remote_ip)
        except ValueError:
            raise _HTTPError(400, f"Invalid remoteIp: {remote_ip}") from None
        token = "".join(self._tokens.choice("0123456789abcdef") for _ in range(32))
        valid_until = int(time.time()) + 3600
        return {
            "url": f"https://console.novoserve.com/ilo/{server.tag}/{token}",
            "remoteIp": remote_ip,
            "validUntil": valid_until,
            "validUntilHuman": human_time(valid_until),
        }


def _known(server: SimulatedServer | None) -> SimulatedServer:
    if server is None:  # routes with a {tag} always resolve one
        raise _HTTPError(404, "Server not found")
    return server
