"""Static reference data the simulated fleet is drawn from.

Everything here is constant: data centres, hardware profiles, OS images and ISO images.
The generator in ``_fleet.py`` picks from these tables with a seeded random generator.
"""

from __future__ import annotations

import ipaddress

import attrs

__all__ = [
    "DATA_CENTERS",
    "HARDWARE_PROFILES",
    "ISO_IMAGES",
    "OS_IMAGES",
    "DataCenter",
    "HardwareProfile",
    "IsoImage",
    "OsImageSpec",
]


@attrs.frozen
class DataCenter:
    """A data centre with its rack naming scheme and address blocks."""

    name: str
    code: str
    rack_prefix: str
    ipv4_block: ipaddress.IPv4Network
    ipv6_block: ipaddress.IPv6Network
    ilo_octet: int
    weight: float


DATA_CENTERS: tuple[DataCenter, ...] = (
    DataCenter(
        "Delft (TDCG)",
        "DLF",
        "2.C Row",
        ipaddress.IPv4Network("185.107.80.0/21"),
        ipaddress.IPv6Network("2a0e:b100:10::/48"),
        3,
        0.4,
    ),
    DataCenter(
        "Amsterdam (Equinix AM5)",
        "AM5",
        "AM5.1 Row",
        ipaddress.IPv4Network("89.38.96.0/21"),
        ipaddress.IPv6Network("2a0e:b100:20::/48"),
        5,
        0.3,
    ),
    DataCenter(
        "Amsterdam (Digital Realty AMS17)",
        "A17",
        "0.B Row",
        ipaddress.IPv4Network("194.15.112.0/22"),
        ipaddress.IPv6Network("2a0e:b100:30::/48"),
        7,
        0.2,
    ),
    DataCenter(
        "Schiphol (NorthC)",
        "SPL",
        "1.A Row",
        ipaddress.IPv4Network("45.134.40.0/22"),
        ipaddress.IPv6Network("2a0e:b100:40::/48"),
        9,
        0.1,
    ),
)


@attrs.frozen
class OsImageSpec:
    """One OS image of the install catalogue (a Cobbler profile)."""

    id: str
    name: str
    distro: str
    kickstart: str
    repos: tuple[str, ...]
    software_raid: bool = False
    windows: bool = False


def _linux(id_suffix: str, name: str, seed_file: str, *, raid: bool = False) -> OsImageSpec:
    suffix = "-RAID1" if raid else ""
    return OsImageSpec(
        id=f"os-install-{id_suffix}{suffix}",
        name=f"{name}{' (Software RAID-1)' if raid else ''}",
        distro=name,
        kickstart=f"/var/lib/cobbler/kickstarts/{seed_file}",
        repos=(id_suffix,),
        software_raid=raid,
    )


OS_IMAGES: tuple[OsImageSpec, ...] = (
    _linux("Ubuntu1804", "Ubuntu-18.04", "Ubuntu1804.seed"),
    _linux("Ubuntu2004", "Ubuntu-20.04", "Ubuntu2004.seed"),
    _linux("Ubuntu2204", "Ubuntu-22.04", "Ubuntu2204.seed"),
    _linux("Ubuntu2204", "Ubuntu-22.04", "Ubuntu2204-raid1.seed", raid=True),
    _linux("Ubuntu2404", "Ubuntu-24.04", "Ubuntu2404.seed"),
    _linux("Ubuntu2404", "Ubuntu-24.04", "Ubuntu2404-raid1.seed", raid=True),
    _linux("Debian11", "Debian-11", "Debian11.seed"),
    _linux("Debian12", "Debian-12", "Debian12.seed"),
    _linux("Debian12", "Debian-12", "Debian12-raid1.seed", raid=True),
    _linux("CentOS7", "CentOS-7", "CentOS7.ks"),
    _linux("AlmaLinux8", "AlmaLinux-8", "AlmaLinux8.ks"),
    _linux("AlmaLinux9", "AlmaLinux-9", "AlmaLinux9.ks"),
    _linux("Rocky9", "Rocky-9", "Rocky9.ks"),
    _linux("Proxmox8", "Proxmox-VE-8", "Proxmox8.seed"),
    OsImageSpec(
        id="os-install-WindowsServer2019",
        name="Windows-Server-2019",
        distro="WinPE-2019",
        kickstart="/var/lib/cobbler/kickstarts/win2019.xml",
        repos=(),
        windows=True,
    ),
    OsImageSpec(
        id="os-install-WindowsServer2022",
        name="Windows-Server-2022",
        distro="WinPE-2022",
        kickstart="/var/lib/cobbler/kickstarts/win2022.xml",
        repos=(),
        windows=True,
    ),
)


@attrs.frozen
class HardwareProfile:
    """A server model as NovoServe sells it, with what the health documents need."""

    id: str
    model: str
    ilo: str
    ilo_firmware: str
    ilo_firmware_date: str
    cpu: str
    cpu_count: int
    cores: int
    memory_gb: int
    dimms: int
    disks: tuple[str, ...]
    nics: str
    power_supplies: int
    psu_watts: int
    psu_model: str
    fans: int
    rack_units: int
    boot_mode: str
    tpm: str | None
    os_ids: tuple[str, ...]
    weight: float


_OLD_OS = ("Ubuntu1804", "Ubuntu2004", "Debian11", "CentOS7", "WindowsServer2019")
_NEW_OS = ("Ubuntu2004", "Ubuntu2204", "Ubuntu2404", "Debian11", "Debian12", "AlmaLinux8")
_NEWER_OS = ("AlmaLinux9", "Rocky9", "Proxmox8", "WindowsServer2022")


def _os_ids(*families: str) -> tuple[str, ...]:
    """Ids of the catalogue images of the given families (with their RAID-1 variants)."""
    wanted = set(families)
    return tuple(
        image.id
        for image in OS_IMAGES
        if image.id.removeprefix("os-install-").removesuffix("-RAID1") in wanted
    )


HARDWARE_PROFILES: tuple[HardwareProfile, ...] = (
    HardwareProfile(
        id="101-201",
        model="ProLiant DL20 Gen10",
        ilo="iLO 5",
        ilo_firmware="2.90",
        ilo_firmware_date="Aug 17 2023",
        cpu="Intel Xeon E-2236",
        cpu_count=1,
        cores=6,
        memory_gb=32,
        dimms=2,
        disks=("2x 480GB SATA SSD",),
        nics="2x 1GbE",
        power_supplies=1,
        psu_watts=290,
        psu_model="865408-B21",
        fans=4,
        rack_units=1,
        boot_mode="UEFI",
        tpm="2.0",
        os_ids=_os_ids(*_NEW_OS, *_NEWER_OS),
        weight=0.2,
    ),
    HardwareProfile(
        id="101-305",
        model="ProLiant DL360 Gen9",
        ilo="iLO 4",
        ilo_firmware="2.82",
        ilo_firmware_date="Feb 06 2023",
        cpu="Intel Xeon E5-2630 v4",
        cpu_count=2,
        cores=20,
        memory_gb=128,
        dimms=8,
        disks=("4x 960GB SATA SSD",),
        nics="4x 1GbE",
        power_supplies=2,
        psu_watts=500,
        psu_model="720478-B21",
        fans=7,
        rack_units=1,
        boot_mode="LEGACY",
        tpm=None,
        os_ids=_os_ids(*_OLD_OS, "Ubuntu2204", "Debian12"),
        weight=0.15,
    ),
    HardwareProfile(
        id="102-110",
        model="ProLiant DL360 Gen10",
        ilo="iLO 5",
        ilo_firmware="3.01",
        ilo_firmware_date="Jan 11 2024",
        cpu="Intel Xeon Silver 4214",
        cpu_count=2,
        cores=24,
        memory_gb=192,
        dimms=12,
        disks=("2x 960GB SATA SSD", "2x 3.84TB NVMe"),
        nics="2x 10GbE SFP+",
        power_supplies=2,
        psu_watts=800,
        psu_model="865414-B21",
        fans=7,
        rack_units=1,
        boot_mode="UEFI",
        tpm="2.0",
        os_ids=_os_ids(*_NEW_OS, *_NEWER_OS),
        weight=0.25,
    ),
    HardwareProfile(
        id="102-240",
        model="ProLiant DL380 Gen10",
        ilo="iLO 5",
        ilo_firmware="2.98",
        ilo_firmware_date="Oct 24 2023",
        cpu="Intel Xeon Gold 6226R",
        cpu_count=2,
        cores=32,
        memory_gb=384,
        dimms=12,
        disks=("2x 480GB SATA SSD", "8x 8TB SAS HDD"),
        nics="2x 25GbE SFP28",
        power_supplies=2,
        psu_watts=800,
        psu_model="865414-B21",
        fans=6,
        rack_units=2,
        boot_mode="UEFI",
        tpm="2.0",
        os_ids=_os_ids(*_NEW_OS, *_NEWER_OS),
        weight=0.15,
    ),
    HardwareProfile(
        id="103-120",
        model="ProLiant DL325 Gen10 Plus",
        ilo="iLO 5",
        ilo_firmware="3.01",
        ilo_firmware_date="Jan 11 2024",
        cpu="AMD EPYC 7402P",
        cpu_count=1,
        cores=24,
        memory_gb=256,
        dimms=8,
        disks=("2x 1.92TB NVMe",),
        nics="2x 25GbE SFP28",
        power_supplies=2,
        psu_watts=500,
        psu_model="865408-B21",
        fans=6,
        rack_units=1,
        boot_mode="UEFI",
        tpm="2.0",
        os_ids=_os_ids(*_NEW_OS, *_NEWER_OS),
        weight=0.15,
    ),
    HardwareProfile(
        id="104-100",
        model="ProLiant DL365 Gen11",
        ilo="iLO 6",
        ilo_firmware="1.55",
        ilo_firmware_date="Mar 05 2024",
        cpu="AMD EPYC 9354",
        cpu_count=2,
        cores=64,
        memory_gb=768,
        dimms=24,
        disks=("2x 960GB NVMe", "4x 7.68TB NVMe"),
        nics="2x 100GbE QSFP28",
        power_supplies=2,
        psu_watts=1600,
        psu_model="P38997-B21",
        fans=8,
        rack_units=1,
        boot_mode="UEFI",
        tpm="2.0",
        os_ids=_os_ids(
            "Ubuntu2204",
            "Ubuntu2404",
            "Debian12",
            "AlmaLinux9",
            "Rocky9",
            "Proxmox8",
            "WindowsServer2022",
        ),
        weight=0.1,
    ),
)


@attrs.frozen
class IsoImage:
    """One ISO image offered for virtual-media (web ISO) installs."""

    name: str

    @property
    def url(self) -> str:
        """Where NovoServe's web-ISO store serves this image."""
        return f"http://webiso.novoserve.com/.installs/{self.name}"


ISO_IMAGES: tuple[IsoImage, ...] = tuple(
    IsoImage(name)
    for name in (
        "CR-CentOS-6.iso",
        "CR-CentOS-7.iso",
        "AlmaLinux-9.4-x86_64-minimal.iso",
        "Rocky-9.4-x86_64-minimal.iso",
        "debian-12.6.0-amd64-netinst.iso",
        "ubuntu-22.04.4-live-server-amd64.iso",
        "ubuntu-24.04-live-server-amd64.iso",
        "proxmox-ve_8.2-1.iso",
        "VMware-VMvisor-Installer-7.0U3n.x86_64.iso",
        "FreeBSD-14.1-RELEASE-amd64-disc1.iso",
        "SERVER_EVAL_x64FRE_en-us_2022.iso",
        "TrueNAS-SCALE-24.04.2.iso",
    )
)
