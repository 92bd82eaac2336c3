"""JSON documents derived from a simulated server: bandwidth, OS listing and iLO data.

Each builder draws from a generator seeded with the simulator's seed and the server's tag (and,
for bandwidth, the day), so a document is the same whenever and in whatever order it is asked
for, and it agrees with the server's state (a failed fan in the hardware issues is a failed fan
in the iLO health document).
"""

from __future__ import annotations

import base64
import datetime
import functools
import random
from collections.abc import Iterator

from ._catalog import OS_IMAGES, OsImageSpec
from ._fleet import SimulatedServer

__all__ = [
    "ILO_RESOURCES",
    "bandwidth_document",
    "daily_traffic_mb",
    "ilo_control_document",
    "ilo_health_document",
    "os_listing",
]

_OS_BY_ID = {image.id: image for image in OS_IMAGES}

ILO_RESOURCES: tuple[str, ...] = (
    "firmware-version",
    "global-settings",
    "hardware-profile",
    "network-settings",
    "pending-boot-mode",
    "power-profile",
    "powerstate",
    "pxe-once",
    "snmp-settings",
    "tpm-status",
)

# Traffic is lighter at weekends (Monday is 0).
_WEEKDAY_FACTOR = (1.0, 1.02, 1.03, 1.01, 0.97, 0.82, 0.78)


def _rng(seed: int, tag: str, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{tag}:{purpose}")


def daily_traffic_mb(server: SimulatedServer, seed: int, day: datetime.date) -> tuple[int, int]:
    """Inbound and outbound traffic of one day in MB (thousandths of the API's GB unit).

    Whole megabytes keep every roll-up exact: the API's figures are these divided by 1000.
    Days before the server was delivered have no traffic.
    """
    if day < server.delivered:
        return 0, 0
    rng = _rng(seed, server.tag, day.isoformat())
    volume = server.traffic_level * _WEEKDAY_FACTOR[day.weekday()] * rng.lognormvariate(0.0, 0.25)
    if rng.random() < 0.02:  # the odd backup run or traffic spike
        volume *= rng.uniform(2.0, 6.0)
    share = min(max(server.outbound_share + rng.gauss(0.0, 0.04), 0.02), 0.98)
    outbound = round(volume * share * 1000)
    inbound = round(volume * (1 - share) * 1000)
    return inbound, outbound


def _traffic(inbound_mb: int, outbound_mb: int) -> dict[str, object]:
    return {
        "in": inbound_mb / 1000,
        "out": outbound_mb / 1000,
        "tot": (inbound_mb + outbound_mb) / 1000,
    }


def _days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def bandwidth_document(
    server: SimulatedServer, seed: int, first: datetime.date, last: datetime.date
) -> dict[str, object]:
    """``GET /bandwidth/{tag}``: daily traffic of ``first..last`` and its monthly sums."""
    data: dict[str, object] = {}
    months: dict[str, tuple[int, int]] = {}
    for day in _days(first, last):
        if day < server.delivered:
            continue
        inbound, outbound = daily_traffic_mb(server, seed, day)
        data[day.isoformat()] = _traffic(inbound, outbound)
        month_in, month_out = months.get(day.strftime("%Y-%m"), (0, 0))
        months[day.strftime("%Y-%m")] = (month_in + inbound, month_out + outbound)
    monthly = {month: _traffic(*totals) for month, totals in months.items()}
    return {"data": data, "monthly": monthly}


@functools.cache
def _cobbler_profile(image: OsImageSpec) -> dict[str, object]:
    rng = random.Random(f"cobbler:{image.id}")
    mtime = 1_690_000_000 + rng.random() * 40_000_000
    created = 1_580_000_000 + rng.random() * 10_000_000
    serial = f"{rng.randint(100_000_000, 999_999_999)}.{rng.randint(10_000, 99_999)}"
    uid_source = f"{created:.6f}.{serial}"
    if image.software_raid:
        comment = "Software RAID-1 over the first two disks"
    elif image.windows:
        comment = "Unattended install, evaluation licence"
    else:
        comment = "No RAID or HW-RAID"
    return {
        "comment": comment,
        "kickstart": image.kickstart,
        "name_servers_search": [],
        "ks_meta": ["raid=1"] if image.software_raid else [],
        "kernel_options_post": [],
        "repos": list(image.repos),
        "redhat_management_key": "<<inherit>>",
        "virt_path": "",
        "kernel_options": ["console=tty0", "console=ttyS1,115200n8"] if not image.windows else [],
        "virt_file_size": 5,
        "mtime": round(mtime, 6),
        "enable_gpxe": True,
        "template_files": [],
        "uid": base64.b64encode(uid_source.encode()).decode().rstrip("="),
        "virt_auto_boot": 1,
        "virt_cpus": 1,
        "mgmt_parameters": "<<inherit>>",
        "boot_files": [],
        "mgmt_classes": [],
        "distro": image.distro,
        "virt_disk_driver": "raw",
        "virt_bridge": "xenbr0",
        "parent": "",
        "virt_type": "xenpv",
        "proxy": "",
        "enable_menu": True,
        "fetchable_files": [],
        "name_servers": [],
        "name": image.id,
        "dhcp_tag": "default",
        "owners": ["admin"],
    }


def os_image(image_id: str) -> OsImageSpec | None:
    """The catalogue image with this id, if any."""
    return _OS_BY_ID.get(image_id)


def os_listing(server: SimulatedServer) -> dict[str, object]:
    """``GET /os-install/{tag}``: the images this server's hardware can take, keyed by id."""
    return {
        image_id: {
            "id": image_id,
            "name": _OS_BY_ID[image_id].name,
            "profile": _cobbler_profile(_OS_BY_ID[image_id]),
        }
        for image_id in server.profile.os_ids
    }


def _v(value: object, unit: str | None = None) -> dict[str, object]:
    """A leaf as HP iLO's XML renders to JSON: ``{"VALUE": ...}`` (plus ``UNIT``)."""
    return {"VALUE": value} if unit is None else {"VALUE": value, "UNIT": unit}


def _issue_levels(server: SimulatedServer, component: str) -> dict[int, int]:
    """Worst severity per component index among the server's hardware issues."""
    levels: dict[int, int] = {}
    for issue in server.issues:
        if issue.component == component:
            levels[issue.index] = max(levels.get(issue.index, 0), issue.severity)
    return levels


def _status(severity: int | None) -> str:
    if severity is None or severity < 2:
        return "OK"
    return "Degraded" if severity < 4 else "Failed"


def ilo_health_document(server: SimulatedServer, seed: int) -> dict[str, object]:
    """``GET /health-check/ilo/{tag}``: iLO embedded health, consistent with the issues."""
    rng = _rng(seed, server.tag, "ilo-health")
    profile = server.profile
    fan_issues = _issue_levels(server, "fan")
    fans = []
    for number in range(1, profile.fans + 1):
        severity = fan_issues.get(number)
        speed = 0 if _status(severity) == "Failed" else rng.randint(14, 38)
        fans.append(
            {
                "ZONE": _v("System"),
                "LABEL": _v(f"Fan {number}"),
                "STATUS": _v(_status(severity)),
                "SPEED": _v(str(speed), "Percentage"),
            }
        )

    temperature_issues = _issue_levels(server, "temperature")
    sensors = [("01-Inlet Ambient", "Ambient", rng.randint(18, 26), 42, 46)]
    for cpu in range(1, profile.cpu_count + 1):
        sensors.append((f"0{cpu + 1}-CPU {cpu}", f"CPU {cpu}", rng.randint(38, 58), 70, 0))
    sensors += [
        ("04-P1 DIMM 1-6", "Memory", rng.randint(30, 40), 89, 0),
        ("12-Chipset", "System Board", rng.randint(40, 55), 105, 0),
        ("14-HD Max", "System", rng.randint(30, 38), 60, 0),
        ("30-System Board", "System Board", rng.randint(30, 42), 105, 0),
    ]
    temperatures = []
    for index, (label, location, reading, caution, critical) in enumerate(sensors, start=1):
        severity = temperature_issues.get(index)
        if severity is not None:
            reading = caution + (1 if severity < 4 else 8)
        temperatures.append(
            {
                "LABEL": _v(label),
                "LOCATION": _v(location),
                "STATUS": _v({None: "OK", 2: "Caution"}.get(severity, "Critical")),
                "CURRENTREADING": _v(str(reading), "Celsius"),
                "CAUTION": _v(str(caution), "Celsius"),
                "CRITICAL": _v(str(critical) if critical else "N/A", "Celsius"),
            }
        )

    psu_issues = _issue_levels(server, "psu")
    supplies = []
    for number in range(1, profile.power_supplies + 1):
        failed = number in psu_issues
        supplies.append(
            {
                "LABEL": _v(f"Power Supply {number}"),
                "PRESENT": _v("Yes"),
                "STATUS": _v("Failed" if failed else "Good, In Use"),
                "PDS": _v("Other"),
                "HOTPLUG_CAPABLE": _v("Yes" if profile.power_supplies > 1 else "No"),
                "MODEL": _v(profile.psu_model),
                "SPARE": _v(f"{rng.randint(800_000, 899_999)}-001"),
                "SERIAL_NUMBER": _v(f"5WBXK0B{rng.randint(1_000_000, 9_999_999)}"),
                "CAPACITY": _v(f"{profile.psu_watts} Watts"),
                "FIRMWARE_VERSION": _v(rng.choice(("1.00", "1.02", "2.00"))),
            }
        )
    redundant = profile.power_supplies > 1 and not psu_issues
    power_reading = 0 if server.power == "off" else rng.randint(90, profile.psu_watts // 2)

    fan_status = _status(max(fan_issues.values(), default=None))
    worst = {
        component: max(_issue_levels(server, component).values(), default=None)
        for component in ("temperature", "psu", "disk", "raid", "memory", "bios")
    }
    storage = max(
        (level for level in (worst["disk"], worst["raid"]) if level is not None), default=None
    )
    return {
        "FANS": {"FAN": fans},
        "TEMPERATURE": {"TEMP": temperatures},
        "POWER_SUPPLIES": {
            "POWER_SUPPLY_SUMMARY": {
                "PRESENT_POWER_READING": _v(f"{power_reading} Watts"),
                "POWER_MANAGEMENT_CONTROLLER_FIRMWARE_VERSION": _v("1.0.8"),
                "POWER_SYSTEM_REDUNDANCY": _v("Redundant" if redundant else "Not Redundant"),
                "HIGH_EFFICIENCY_MODE": _v("Balanced"),
            },
            "SUPPLY": supplies,
        },
        "PROCESSORS": {
            "PROCESSOR": [
                {
                    "LABEL": _v(f"Proc {cpu}"),
                    "NAME": _v(profile.cpu),
                    "STATUS": _v("OK"),
                    "SPEED": _v(f"{rng.choice((2100, 2200, 2400, 2800, 3250))} MHz"),
                    "EXECUTION_TECHNOLOGY": _v(
                        f"{profile.cores // profile.cpu_count}/{profile.cores // profile.cpu_count}"
                        f" cores; {2 * profile.cores // profile.cpu_count} threads"
                    ),
                    "MEMORY_TECHNOLOGY": _v("64-bit Capable"),
                }
                for cpu in range(1, profile.cpu_count + 1)
            ]
        },
        "MEMORY": {
            "MEMORY_DETAILS_SUMMARY": {
                f"CPU_{cpu}": {
                    "NUMBER_OF_SOCKETS": _v(str(profile.dimms // profile.cpu_count)),
                    "TOTAL_MEMORY_SIZE": _v(f"{profile.memory_gb // profile.cpu_count} GB"),
                    "OPERATING_FREQUENCY": _v("2933 MHz"),
                    "OPERATING_VOLTAGE": _v("1.20 v"),
                }
                for cpu in range(1, profile.cpu_count + 1)
            }
        },
        "NIC_INFORMATION": {
            "NIC": [
                {
                    "NETWORK_PORT": _v("iLO Dedicated Network Port"),
                    "PORT_DESCRIPTION": _v("iLO Dedicated Network Port"),
                    "LOCATION": _v("Embedded"),
                    "MAC_ADDRESS": _v(server.ilo_mac),
                    "IP_ADDRESS": _v(server.ilo_ip),
                    "STATUS": _v("OK"),
                }
            ]
        },
        "FIRMWARE_INFORMATION": {
            "INDEX_1": {
                "FIRMWARE_NAME": _v(profile.ilo),
                "FIRMWARE_VERSION": _v(f"{profile.ilo_firmware} {profile.ilo_firmware_date}"),
            },
            "INDEX_2": {
                "FIRMWARE_NAME": _v("System ROM"),
                "FIRMWARE_VERSION": _v(f"U{rng.randint(30, 46)} v2.{rng.randint(40, 90)}"),
            },
        },
        "HEALTH_AT_A_GLANCE": {
            "BIOS_HARDWARE": {"STATUS": _status(worst["bios"])},
            "FANS": [
                {"STATUS": fan_status},
                {"REDUNDANCY": "Not Redundant" if fan_status == "Failed" else "Redundant"},
            ],
            "TEMPERATURE": {"STATUS": _status(worst["temperature"])},
            "POWER_SUPPLIES": [
                {"STATUS": "Failed" if psu_issues else "OK"},
                {"REDUNDANCY": "Redundant" if redundant else "Not Redundant"},
            ],
            "PROCESSOR": {"STATUS": "OK"},
            "MEMORY": {"STATUS": _status(worst["memory"])},
            "NETWORK": {"STATUS": "OK"},
            "STORAGE": {"STATUS": _status(storage)},
        },
    }


def ilo_control_document(server: SimulatedServer, resource: str, seed: int) -> dict[str, object]:
    """``GET /ilo-controls/{resource}/{tag}`` for one of :data:`ILO_RESOURCES`."""
    rng = _rng(seed, server.tag, f"ilo:{resource}")
    profile = server.profile
    if resource == "firmware-version":
        return {
            "FIRMWARE_VERSION": profile.ilo_firmware,
            "FIRMWARE_DATE": profile.ilo_firmware_date,
            "MANAGEMENT_PROCESSOR": profile.ilo.replace(" ", ""),
            "LICENSE_TYPE": "iLO Advanced",
        }
    if resource == "global-settings":
        return {
            "SESSION_TIMEOUT": _v("30"),
            "ILO_FUNCT_ENABLED": _v("Y"),
            "F8_PROMPT_ENABLED": _v("Y"),
            "HTTP_PORT": _v("80"),
            "HTTPS_PORT": _v("443"),
            "REMOTE_CONSOLE_PORT": _v("17990"),
            "VIRTUAL_MEDIA_PORT": _v("17988"),
            "SSH_PORT": _v("22"),
            "SSH_STATUS": _v("Y"),
            "SERIAL_CLI_STATUS": _v("Enabled-Authentication Required"),
            "SERIAL_CLI_SPEED": _v("9600"),
            "MIN_PASSWORD": _v("8"),
            "AUTHENTICATION_FAILURE_LOGGING": _v("Enabled-every 3rd failure"),
            "ENFORCE_AES": _v(rng.choice(("Y", "N"))),
            "IPMI_DCMI_OVER_LAN_ENABLED": _v("N"),
            "LOCK_CONFIGURATION": _v("N"),
        }
    if resource == "hardware-profile":
        return {
            "PROFILE": _v(profile.id),
            "PRODUCT_NAME": _v(profile.model),
            "SERIAL_NUMBER": _v(server.serial),
            "PROCESSOR": _v(f"{profile.cpu_count}x {profile.cpu}"),
            "CORES": _v(str(profile.cores)),
            "MEMORY": _v(f"{profile.memory_gb} GB"),
            "STORAGE": [_v(disks) for disks in profile.disks],
            "NETWORK": _v(profile.nics),
            "POWER_SUPPLIES": _v(f"{profile.power_supplies}x {profile.psu_watts} W"),
            "FORM_FACTOR": _v(f"{profile.rack_units}U"),
        }
    if resource == "network-settings":
        gateway = server.ilo_ip.rsplit(".", 1)[0] + ".1"
        return {
            "ENABLE_NIC": _v("Y"),
            "SHARED_NETWORK_PORT": _v("N"),
            "VLAN_ENABLED": _v("N"),
            "SPEED_AUTOSELECT": _v("Y"),
            "NIC_SPEED": _v("Automatic"),
            "FULL_DUPLEX": _v("Automatic"),
            "DHCP_ENABLE": _v("N"),
            "IP_ADDRESS": _v(server.ilo_ip),
            "SUBNET_MASK": _v("255.255.255.0"),
            "GATEWAY_IP_ADDRESS": _v(gateway),
            "DNS_NAME": _v(f"ILO{server.serial}"),
            "DOMAIN_NAME": _v("ilo.novoserve.net"),
            "MAC_ADDRESS": _v(server.ilo_mac),
            "PRIM_DNS_SERVER": _v("10.0.0.53"),
            "SNTP_SERVER1": _v("ntp.novoserve.net"),
            "TIMEZONE": _v("Europe/Amsterdam"),
        }
    if resource == "pending-boot-mode":
        return {"PENDING_BOOT_MODE": _v(profile.boot_mode)}
    if resource == "power-profile":
        saver = rng.choices(("OS_CONTROL", "MAX", "MIN", "AUTO"), weights=(2, 5, 1, 2))[0]
        return {
            "HOST_POWER_SAVER": _v(saver),
            "POWER_PROFILE": _v(
                "Maximum Performance" if saver == "MAX" else "Balanced Power and Performance"
            ),
        }
    if resource == "powerstate":
        return {"HOST_POWER": _v(server.power.upper())}
    if resource == "pxe-once":
        return {
            "ONE_TIME_BOOT": _v("NETWORK" if server.pxe_once else "NORMAL"),
            "PXE_ONCE": _v("Y" if server.pxe_once else "N"),
        }
    if resource == "snmp-settings":
        return {
            "SNMP_ACCESS": _v("Enable"),
            "SNMP_PORT": _v("161"),
            "TRAP_PORT": _v("162"),
            "ROCOMMUNITY": _v(f"ro-{rng.randint(10_000, 99_999)}"),
            "RWCOMMUNITY": _v(""),
            "SNMP_ADDRESS_1": _v("10.0.0.161"),
            "OS_TRAPS": _v("Y"),
            "RIB_TRAPS": _v("N"),
            "SNMP_V1_TRAPS": _v("Y"),
            "COLD_START_TRAP_BROADCAST": _v("Y"),
            "SNMP_SYS_CONTACT": _v("support@novoserve.com"),
            "SNMP_SYS_LOCATION": _v(f"{server.data_center.name} {server.rack} U{server.unit}"),
        }
    if resource == "tpm-status":
        present = profile.tpm is not None
        return {
            "TPM_SUPPORT": _v("Yes"),
            "TPM_PRESENT": _v("Yes" if present else "No"),
            "TPM_ENABLED": _v("Yes" if present else "No"),
            "TPM_VERSION": _v(profile.tpm or "N/A"),
        }
    raise KeyError(resource)
