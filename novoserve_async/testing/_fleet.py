"""The simulated fleet: what each server is, and the state requests change.

:func:`generate_fleet` draws every server from a random generator seeded with the simulator's
seed, so the same seed always yields the same fleet. Documents that are large or rarely asked
for (bandwidth, health) are derived on demand in ``_documents.py`` from generators seeded with
the seed and the tag, so they do not depend on the order in which anything is requested.
"""

from __future__ import annotations

import datetime
import ipaddress
import itertools
import json
import math
import random
from collections.abc import Mapping

import attrs

from ._catalog import (
    DATA_CENTERS,
    HARDWARE_PROFILES,
    DataCenter,
    HardwareProfile,
    IsoImage,
)

__all__ = [
    "ClientStateEntry",
    "HealthIssue",
    "InstallRecord",
    "RdnsRow",
    "SimulatedServer",
    "generate_fleet",
    "human_time",
]

try:
    from zoneinfo import ZoneInfo

    _PORTAL_ZONE: datetime.tzinfo = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - no tz database (e.g. Windows without tzdata)
    _PORTAL_ZONE = datetime.timezone.utc

# Fixed windows for generated timestamps keep the fleet identical whatever the date today.
_DELIVERED_RANGE = (datetime.date(2019, 3, 1), datetime.date(2024, 12, 31))
_STATE_SINCE = (1_704_067_200, 1_735_689_600)  # 2024-01-01 .. 2025-01-01 UTC
_ATTENTION_SINCE = (1_735_689_600, 1_748_736_000)  # 2025-01-01 .. 2025-06-01 UTC
_UNITS_PER_RACK = 42


def human_time(timestamp: float) -> str:
    """Format a Unix time the way the portal does (``Wed May 20 15:41:54 2020``, Amsterdam time)."""
    moment = datetime.datetime.fromtimestamp(timestamp, _PORTAL_ZONE)
    return moment.strftime("%a %b %d %H:%M:%S %Y")


@attrs.frozen
class HealthIssue:
    """A hardware problem as the monitoring (Zabbix) reports it."""

    event_id: str
    clock: int
    name: str
    severity: int
    component: str
    index: int

    def to_json(self) -> dict[str, object]:
        """The wire form of ``GET /health-check/hardware/{tag}`` issues."""
        return {
            "eventid": self.event_id,
            "clock": self.clock,
            "name": self.name,
            "severity": str(self.severity),
        }


@attrs.frozen
class ClientStateEntry:
    """One row of ``GET /client-state/{tag}``."""

    state: str
    ctime: int
    details: Mapping[str, object]

    def to_json(self, tag: str) -> dict[str, object]:
        """The wire form: the details travel JSON-encoded under the state's own name."""
        return {
            self.state: json.dumps(self.details, sort_keys=True),
            "id": tag,
            "ctime": str(self.ctime),
            "ctime-human": human_time(self.ctime),
            "state": self.state,
        }


@attrs.define(eq=False)
class RdnsRow:
    """One interface address with its reverse-DNS name (``GET /rdns/{tag}``)."""

    interface_name: str
    interface_ip: str
    parent_netmask: int
    vlan: int
    vlan_description: str
    rdns: str

    def to_json(self) -> dict[str, object]:
        """The wire form of a reverse-DNS row."""
        return {
            "interfacename": self.interface_name,
            "interfaceip": self.interface_ip,
            "parentnetmask": self.parent_netmask,
            "vlan": self.vlan,
            "vlandescription": self.vlan_description,
            "rdns": self.rdns,
        }


@attrs.frozen
class InstallRecord:
    """An OS installation the simulator accepted."""

    os_id: str
    name: str
    started: float


@attrs.define(eq=False)
class SimulatedServer:
    """One server of the simulated fleet, with the state that requests change.

    Tests may read any attribute to check what a request did (for example ``installs``,
    ``power``, ``mounted_iso`` or the ``rdns`` rows) and may change them to set a scene.
    """

    tag: str
    data_center: DataCenter
    rack: str
    rack_id: int
    unit: int
    profile: HardwareProfile
    serial: str
    delivered: datetime.date
    primary: ipaddress.IPv4Interface
    rdns: list[RdnsRow]
    ilo_ip: str
    ilo_mac: str
    os_name: str
    traffic_level: float
    outbound_share: float
    ilo_uid: str = "off"
    power: str = "on"
    issues: list[HealthIssue] = attrs.field(factory=list)
    client_states: list[ClientStateEntry] = attrs.field(factory=list)
    mounted_iso: IsoImage | None = None
    pxe_once: bool = False
    installs: list[InstallRecord] = attrs.field(factory=list)
    power_actions: list[str] = attrs.field(factory=list)

    @property
    def gateway(self) -> str:
        """The first address of the primary subnet, where NovoServe puts the gateway."""
        return str(next(self.primary.network.hosts()))

    @property
    def installing(self) -> bool:
        """Whether an OS installation is in progress."""
        return any(entry.state == "installing" for entry in self.client_states)


@attrs.define(eq=False)
class _Rack:
    name: str
    rack_id: int
    index: int
    next_unit: int = 1


class _RackAllocator:
    """Places servers into racks of a data centre, like a real floor plan."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._open: dict[str, list[_Rack]] = {}
        self._count: dict[str, int] = {}
        self._rack_ids: set[int] = set()
        self._names: set[str] = set()

    def place(self, dc: DataCenter, height: int) -> tuple[_Rack, int]:
        """Return the rack and lowest unit for a server ``height`` units tall."""
        open_racks = self._open.setdefault(dc.code, [])
        # Racks fill bottom up with the odd empty unit (cabling, a removed server).
        start = 0
        rack = self._rng.choice(open_racks) if open_racks else None
        if rack is not None:
            start = rack.next_unit + (self._rng.random() < 0.15)
        if rack is None or start + height - 1 > _UNITS_PER_RACK or self._rng.random() < 0.1:
            rack = self._new_rack(dc)
            open_racks.append(rack)
            start = rack.next_unit + self._rng.randint(0, 2)
        rack.next_unit = start + height
        if rack.next_unit + 1 > _UNITS_PER_RACK:
            open_racks.remove(rack)
        return rack, start

    def _new_rack(self, dc: DataCenter) -> _Rack:
        index = self._count.get(dc.code, 0)
        self._count[dc.code] = index + 1
        positions = 24 + index  # big fleets need more positions than a small hall has
        name = ""
        while not name or name in self._names:
            row = self._rng.choice("ABCDEFGHJK")
            name = f"{dc.rack_prefix} {row} {self._rng.randint(1, positions)}"
        rack_id = 0
        while not rack_id or rack_id in self._rack_ids:
            rack_id = self._rng.randint(1000, 9999 + len(self._rack_ids))
        self._names.add(name)
        self._rack_ids.add(rack_id)
        return _Rack(name, rack_id, index)


def _reverse_pointer(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """The PTR name of an address (``ipaddress``'s own is slow for IPv6)."""
    if isinstance(address, ipaddress.IPv4Address):
        return ".".join(reversed(str(address).split("."))) + ".in-addr.arpa"
    return ".".join(reversed(f"{int(address):032x}")) + ".ip6.arpa"


def _unique_tags(rng: random.Random, count: int) -> list[str]:
    tags: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < count:
        tag = f"{rng.randint(100, 999)}-{rng.randint(100, 999)}"
        if tag not in tags:
            tags.add(tag)
            ordered.append(tag)
    return ordered


_WORDS = ("web", "db", "mail", "cache", "edge", "node", "k8s", "game", "vpn", "backup", "git")
_DOMAINS = ("example.com", "example.net", "acme-hosting.nl", "gridline.io", "fastpixel.eu")


def _custom_hostname(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS)}{rng.randint(1, 40)}.{rng.choice(_DOMAINS)}"


def _issue(rng: random.Random, server_profile: HardwareProfile) -> HealthIssue:
    """Draw one plausible hardware problem with its Zabbix severity."""
    kind = rng.choices(
        ("fan", "psu", "temperature", "disk", "raid", "memory", "bios", "ilo", "host"),
        weights=(18, 10, 12, 18, 8, 12, 10, 6, 6),
    )[0]
    index = 1
    if kind == "fan":
        index = rng.randint(1, server_profile.fans)
        severity = rng.choice((2, 2, 4))
        state = "warning" if severity == 2 else "critical"
        name = f"Fan 0.{index}: Fan is in {state} state"
    elif kind == "psu" and server_profile.power_supplies > 1:
        index = rng.randint(1, server_profile.power_supplies)
        severity = rng.choice((3, 4))
        name = f"Power supply {index}: Power supply is in critical state"
    elif kind in ("temperature", "psu"):
        kind = "temperature"
        index = rng.randint(2, 3 if server_profile.cpu_count > 1 else 2)
        severity = rng.choice((2, 4))
        threshold = "caution" if severity == 2 else "critical"
        name = f"Temperature 0{index}-CPU {index - 1}: Temperature is above {threshold} threshold"
    elif kind == "disk":
        index = rng.randint(1, 4)
        severity = rng.choice((1, 3, 4))
        disk_problems = {1: "SMART self-test log has entries", 3: "predictive failure", 4: "failed"}
        name = f"Physical disk 1I:1:{index}: {disk_problems[severity]}"
    elif kind == "raid":
        severity = 4
        name = "Logical drive 1: RAID array is degraded"
    elif kind == "memory":
        index = rng.randint(1, server_profile.dimms)
        severity = rng.choice((2, 3))
        problem = "correctable ECC errors above threshold" if severity == 2 else "uncorrectable ECC"
        name = f"Memory DIMM {index}: {problem}"
    elif kind == "bios":
        severity = 1
        name = "System ROM: firmware is older than the recommended version"
    elif kind == "ilo":
        severity = 0
        name = "iLO: self test reported a non-critical error"
    else:
        severity = 5
        name = "Server is unreachable by ICMP for 5 minutes"
    clock = 0 if rng.random() < 0.2 else rng.randint(*_ATTENTION_SINCE)
    return HealthIssue(str(rng.randint(1_000_000, 29_999_999)), clock, name, severity, kind, index)


def _client_state(
    rng: random.Random, tag: str, dc: DataCenter, issues: list[HealthIssue], os_name: str
) -> ClientStateEntry:
    serious = [issue for issue in issues if issue.severity >= 3]
    if serious:
        return ClientStateEntry(
            "attention_hardware",
            rng.randint(*_ATTENTION_SINCE),
            {
                "issues": [issue.name for issue in serious],
                "ticket": f"#{rng.randint(100_000, 999_999)}",
                "action": "Hardware replacement scheduled with the customer",
            },
        )
    roll = rng.random()
    if roll < 0.05:
        return ClientStateEntry(
            "attention_network",
            rng.randint(*_ATTENTION_SINCE),
            {
                "reason": "Switch port is flapping",
                "switch": f"sw-{dc.code.lower()}-{rng.randint(1, 30):02d}",
                "port": f"Ethernet1/{rng.randint(1, 48)}",
            },
        )
    if roll < 0.08:
        return ClientStateEntry(
            "attention_abuse",
            rng.randint(*_ATTENTION_SINCE),
            {
                "reason": "Outgoing DDoS traffic detected",
                "ticket": f"ABUSE-{rng.randint(10_000, 99_999)}",
                "server": tag,
            },
        )
    return ClientStateEntry("active", rng.randint(*_STATE_SINCE), {"os": os_name})


def _serial(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    return "CZJ" + "".join(rng.choice(alphabet) for _ in range(7))


def generate_fleet(count: int, seed: int) -> list[SimulatedServer]:
    """Generate ``count`` servers, deterministically from ``seed``."""
    if count < 0:
        raise ValueError(f"servers must be >= 0, got {count}")
    rng = random.Random(f"novoserve-fleet:{seed}")
    racks = _RackAllocator(rng)
    next_subnet = {dc.code: rng.randint(0, 64) for dc in DATA_CENTERS}
    fleet: list[SimulatedServer] = []
    delivered_span = (_DELIVERED_RANGE[1] - _DELIVERED_RANGE[0]).days
    dc_weights = list(itertools.accumulate(dc.weight for dc in DATA_CENTERS))
    profile_weights = list(itertools.accumulate(p.weight for p in HARDWARE_PROFILES))
    for tag in _unique_tags(rng, count):
        dc = rng.choices(DATA_CENTERS, cum_weights=dc_weights)[0]
        profile = rng.choices(HARDWARE_PROFILES, cum_weights=profile_weights)[0]
        rack, unit = racks.place(dc, profile.rack_units)

        # Primary subnet: a /29 (sometimes a /28) from the data centre's block, allocated in order.
        prefix = 28 if rng.random() < 0.2 else 29
        slot = next_subnet[dc.code]
        next_subnet[dc.code] = slot + 1 + (rng.random() < 0.1)  # a slot is 16 addresses
        network = ipaddress.IPv4Network(
            (int(dc.ipv4_block.network_address) + slot * 16, prefix), strict=False
        )
        primary = ipaddress.IPv4Interface((int(network.network_address) + 2, prefix))
        vlan = rng.randint(200, 3999)

        rows = [
            RdnsRow(
                "OS",
                str(primary.ip),
                prefix,
                vlan,
                f"Customer {tag}",
                _custom_hostname(rng) if rng.random() < 0.5 else _reverse_pointer(primary.ip),
            )
        ]
        if rng.random() < 0.6:
            v6 = ipaddress.IPv6Address(int(dc.ipv6_block.network_address) + (slot << 64) + 2)
            rows.append(RdnsRow("OS", str(v6), 64, vlan, f"Customer {tag}", _reverse_pointer(v6)))
        ilo_ip = ipaddress.IPv4Address(
            (10 << 24)
            + ((dc.ilo_octet + rack.index // 256) << 16)
            + ((rack.index % 256) << 8)
            + unit
            + 10
        )
        rows.append(RdnsRow("ILO", str(ilo_ip), 24, 98, "Provisioning", _reverse_pointer(ilo_ip)))

        os_name = rng.choice(profile.os_ids).removeprefix("os-install-")
        issues = (
            [_issue(rng, profile) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
            if rng.random() < 0.25
            else []
        )
        uid = rng.choices(("off", "on", "blink"), weights=(85, 10, 5))[0]
        idle = rng.random() < 0.08
        level = rng.uniform(0.01, 0.5) if idle else math.exp(rng.gauss(math.log(120.0), 1.2))
        server = SimulatedServer(
            tag=tag,
            data_center=dc,
            rack=rack.name,
            rack_id=rack.rack_id,
            unit=unit,
            profile=profile,
            serial=_serial(rng),
            delivered=_DELIVERED_RANGE[0] + datetime.timedelta(rng.randint(0, delivered_span)),
            primary=primary,
            rdns=rows,
            ilo_ip=str(ilo_ip),
            ilo_mac="94:40:c9:" + ":".join(f"{rng.randint(0, 255):02x}" for _ in range(3)),
            os_name=os_name,
            traffic_level=min(level, 9000.0),
            outbound_share=rng.uniform(0.15, 0.92),
            ilo_uid=uid,
            power="off" if rng.random() < 0.04 else "on",
            issues=issues,
            client_states=[_client_state(rng, tag, dc, issues, os_name)],
        )
        fleet.append(server)
    return fleet
