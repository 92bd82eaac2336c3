"""Test helpers: a realistic NovoServe API simulator, in-process or over loopback.

``Simulator`` is to this SDK what moto is to AWS: a fake API with a generated fleet, state
that requests change, credentials checks and fault injection (latency, errors, resets, slow
or broken bodies, rate limits) for testing bots and fleet jobs without real servers::

    from novoserve_async.testing import Faults, Simulator

    async with Simulator(servers=20, seed=7) as sim:
        sim.faults.for_endpoint("GET /servers/{tag}").fail_next(2, status=503)
        ...  # point NovoServe at sim.base_url
        assert sim.request_count("GET", "/servers/{tag}") == 3

For pytest, ``pytest_plugins = ["novoserve_async.testing.pytest_plugin"]`` gives the
``novoserve_simulator``, ``novoserve_client`` and ``novoserve_clock`` fixtures.
``FakeClock`` (also exported by ``novoserve_async``) lets a client wait without waiting.
"""

from .._clock import FakeClock
from ._app import SimulatedConnectionReset
from ._faults import Faults, Latency, LatencySpec, RateLimit, ScriptedFault, Trickle
from ._fleet import ClientStateEntry, HealthIssue, InstallRecord, RdnsRow, SimulatedServer
from ._routes import ROUTE_KEYS
from ._simulator import IN_PROCESS_BASE_URL, Simulator, SimulatorTransport

__all__ = [
    "IN_PROCESS_BASE_URL",
    "ROUTE_KEYS",
    "ClientStateEntry",
    "FakeClock",
    "Faults",
    "HealthIssue",
    "InstallRecord",
    "Latency",
    "LatencySpec",
    "RateLimit",
    "RdnsRow",
    "ScriptedFault",
    "SimulatedConnectionReset",
    "SimulatedServer",
    "Simulator",
    "SimulatorTransport",
    "Trickle",
]
