"""The routes the simulator serves, and matching a request path against them."""

from __future__ import annotations

import attrs

__all__ = ["ROUTES", "ROUTE_KEYS", "Route", "match_route"]


@attrs.frozen
class Route:
    """One endpoint: an HTTP method and a path template such as ``/servers/{tag}``."""

    method: str
    template: str

    @property
    def key(self) -> str:
        """``"METHOD /template"``, the name used for faults and request counts."""
        return f"{self.method} {self.template}"

    @property
    def segments(self) -> tuple[str, ...]:
        """The template's path segments (a trailing slash adds none)."""
        return tuple(part for part in self.template.strip("/").split("/") if part)


ROUTES: tuple[Route, ...] = tuple(
    Route(method, template)
    for method, template in (
        ("GET", "/servers/"),
        ("GET", "/servers/{tag}"),
        ("GET", "/bandwidth/{tag}"),
        ("GET", "/os-install/{tag}"),
        ("POST", "/os-install/{tag}"),
        ("GET", "/webiso-installs/"),
        ("GET", "/webiso-installs/{tag}"),
        ("POST", "/webiso-installs/{tag}"),
        ("DELETE", "/webiso-installs/{tag}"),
        ("GET", "/rdns/{tag}"),
        ("POST", "/rdns/{tag}"),
        ("GET", "/client-state/{tag}"),
        ("GET", "/ilo-uid/{tag}"),
        ("GET", "/ilo-controls/{resource}/{tag}"),
        ("GET", "/health-check/hardware/{tag}"),
        ("GET", "/health-check/ilo/{tag}"),
        ("GET", "/network-info/{tag}"),
        ("GET", "/powerstate/{tag}"),
        ("POST", "/powerstate/{tag}"),
        ("POST", "/console-url/{tag}"),
    )
)
ROUTE_KEYS: frozenset[str] = frozenset(route.key for route in ROUTES)

_BY_SHAPE: dict[tuple[str, int], list[Route]] = {}
for _route in ROUTES:
    _BY_SHAPE.setdefault((_route.segments[0], len(_route.segments)), []).append(_route)


def _bind(route: Route, parts: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for pattern, part in zip(route.segments, parts, strict=True):
        if pattern.startswith("{"):
            params[pattern[1:-1]] = part
        elif pattern != part:
            return None
    return params


def match_route(method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
    """Find the route for a request.

    Returns ``(route, path parameters, methods allowed on this path)``; the route is ``None``
    when the path is unknown (no methods) or the method is not allowed on it.
    """
    parts = path.strip("/").split("/") if path.strip("/") else []
    if not parts or any(not part for part in parts):
        return None, {}, []
    allowed: list[str] = []
    found: tuple[Route, dict[str, str]] | None = None
    for route in _BY_SHAPE.get((parts[0], len(parts)), []):
        params = _bind(route, parts)
        if params is None:
            continue
        allowed.append(route.method)
        if route.method == method:
            found = (route, params)
    if found is None:
        return None, {}, allowed
    return found[0], found[1], allowed
