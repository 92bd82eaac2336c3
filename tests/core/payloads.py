"""The API document's example payloads, verbatim where the document gives them."""

from __future__ import annotations

from typing import Any

BANDWIDTH: dict[str, Any] = {
    "data": {
        "2020-05-08": {"in": 230.745, "out": 231.232, "tot": 461.977},
        "2020-05-09": {"in": 230.745, "out": 231.232, "tot": 461.977},
    },
    "monthly": {
        "2020-05": {"in": 1230.745, "out": 1231.232, "tot": 2461.977},
        "2020-06": {"in": 330.745, "out": 231.232, "tot": 561.977},
    },
}

SERVER: dict[str, Any] = {
    "location": {"dataCenter": "Delft (TDCG)", "rack": "2.C Row F 10", "unit": 40, "rackId": 4411},
    "hardwareProfile": "123-123",
}

OS_IMAGES: dict[str, Any] = {
    "os-install-Ubuntu1804": {
        "id": "os-install-Ubuntu1804",
        "name": "Ubuntu-18.04",
        "profile": {
            "comment": "No RAID or HW-RAID",
            "kickstart": "/var/lib/cobbler/kickstarts/Ubuntu1804.seed",
            "name_servers_search": [],
            "repos": ["Ubuntu1804"],
            "virt_file_size": 5,
            "mtime": 1586258502.197545,
            "enable_gpxe": True,
            "distro": "Ubuntu-18.04",
            "name": "os-install-Ubuntu1804",
            "owners": ["admin"],
        },
    },
    "os-install-Debian12": {"id": "os-install-Debian12", "name": "Debian-12", "profile": {}},
}

WEBISOS: list[dict[str, Any]] = [
    {"url": "http://webiso.novoserve.com/.installs/CR-CentOS-6.iso", "name": "CR-CentOS-6.iso"},
    {"url": "http://webiso.novoserve.com/.installs/CR-CentOS-7.iso", "name": "CR-CentOS-7.iso"},
]

RDNS: list[dict[str, Any]] = [
    {
        "interfacename": "OS",
        "interfaceip": "10.3.1.24",
        "parentnetmask": 24,
        "vlan": 98,
        "vlandescription": "Provisioning",
        "rdns": "1.3.10.in-addr.arpa",
    }
]

CLIENT_STATE: list[dict[str, Any]] = [
    {
        "attention_hardware": "[JSON data with more informatino about the attention state]",
        "id": "999-999",
        "ctime": "1589982114",
        "ctime-human": "Wed May 20 15:41:54 2020",
        "state": "attention_hardware",
    }
]

NETWORK_INFO: dict[str, Any] = {"ip": "10.3.1.4", "subnet": "255.255.255.0", "gateway": "10.3.1.1"}

HARDWARE_HEALTH: dict[str, Any] = {
    "issues": [
        {
            "eventid": "2521234",
            "clock": 0,
            "name": "Fan 0.3: Fan is in warning state",
            "severity": "2",
        }
    ],
    "description": "[2] Fan 0.3: Fan is in warning state\n",
}

ILO_HEALTH: dict[str, Any] = {
    "FANS": {
        "FAN": [
            {
                "ZONE": {"VALUE": "System"},
                "LABEL": {"VALUE": "Fan Block 1"},
                "STATUS": {"VALUE": "OK"},
                "SPEED": {"VALUE": "36", "UNIT": "Percentage"},
            },
            {
                "ZONE": {"VALUE": "System"},
                "LABEL": {"VALUE": "Fan Block 2"},
                "STATUS": {"VALUE": "Degraded"},
                "SPEED": {"VALUE": "80", "UNIT": "Percentage"},
            },
        ]
    },
    "TEMPERATURE": {
        "TEMP": {
            "LABEL": {"VALUE": "01-Inlet Ambient"},
            "STATUS": {"VALUE": "OK"},
            "CURRENTREADING": {"VALUE": "21", "UNIT": "Celsius"},
        }
    },
    "POWER_SUPPLIES": {
        "SUPPLY": [{"LABEL": {"VALUE": "Power Supply 1"}, "STATUS": {"VALUE": "Good"}}]
    },
    "HEALTH_AT_A_GLANCE": {
        "BIOS_HARDWARE": {"STATUS": "OK"},
        "FANS": [{"STATUS": "Degraded"}, {"REDUNDANCY": "Redundant"}],
        "TEMPERATURE": {"STATUS": "OK"},
    },
}
