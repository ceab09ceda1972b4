"""Canned ``show version`` texts, close enough to the real ones for parsers and eyeballs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_STARTED = time.monotonic()


def _uptime() -> str:
    minutes = int(time.monotonic() - _STARTED) // 60
    return f"{minutes // 1440} days, {minutes // 60 % 24} hours, {minutes % 60} minutes"


def _serial(hostname: str) -> str:
    return "SIM" + "".join(c for c in hostname if c.isdigit()).rjust(8, "0")


def ios(hostname: str) -> list[str]:
    return [
        "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M6, "
        "RELEASE SOFTWARE (fc1)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2022 by Cisco Systems, Inc.",
        "",
        "ROM: Bootstrap program is IOSv",
        "",
        f"{hostname} uptime is {_uptime()}",
        'System image file is "flash0:/vios-adventerprisek9-m"',
        "",
        "cisco IOSv (revision 1.0) with 460137K/62464K bytes of memory.",
        f"Processor board ID {_serial(hostname)}",
        "4 Gigabit Ethernet interfaces",
        "Configuration register is 0x2102",
    ]


def nxos(hostname: str) -> list[str]:
    return [
        "Cisco Nexus Operating System (NX-OS) Software",
        "Software",
        "  BIOS: version 05.45",
        "  NXOS: version 9.3(8)",
        "  NXOS image file is: bootflash:///nxos.9.3.8.bin",
        "Hardware",
        '  cisco Nexus9000 C9300v Chassis ("Supervisor Module")',
        f"  Processor Board ID {_serial(hostname)}",
        f"  Device name: {hostname}",
        f"Kernel uptime is {_uptime()}",
    ]


def eos(hostname: str) -> list[str]:
    return [
        "Arista vEOS-lab",
        "Hardware version:",
        f"Serial number: {_serial(hostname)}",
        "System MAC address:  5000.00d7.ee0b",
        "",
        "Software image version: 4.28.3M",
        "Architecture: x86_64",
        f"Uptime: {_uptime()}",
        "Total memory: 4002340 kB",
    ]


def junos(hostname: str) -> list[str]:
    return [
        f"Hostname: {hostname}",
        "Model: vmx",
        "Junos: 21.4R3.15",
        "JUNOS OS Kernel 64-bit  [20220309.4f06b5e_builder_stable_12_214]",
        "JUNOS OS runtime [20220309.4f06b5e_builder_stable_12_214]",
        "JUNOS Routing Software Suite [21.4R3.15]",
    ]


def junos_system_uptime(hostname: str) -> list[str]:
    """``show system uptime``: Junos prints its uptime here, not in ``show version``."""
    now = datetime.now(UTC).replace(microsecond=0)
    seconds = int(time.monotonic() - _STARTED)
    booted = now - timedelta(seconds=seconds)
    days, rest = divmod(seconds, 86400)
    ago = (
        f"{days // 7}w{days % 7}d {rest // 3600:02d}:{rest // 60 % 60:02d}"
        if days
        else f"{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}"
    )
    stamp = "%Y-%m-%d %H:%M:%S UTC"
    return [
        f"Current time: {now.strftime(stamp)}",
        "Time Source:  LOCAL CLOCK",
        f"System booted: {booted.strftime(stamp)} ({ago} ago)",
        f"Protocols started: {booted.strftime(stamp)} ({ago} ago)",
        f"Last configured: {booted.strftime(stamp)} ({ago} ago) by root",
    ]


VERSIONS: dict[str, Callable[[str], list[str]]] = {
    "cisco_ios": ios,
    "cisco_nxos": nxos,
    "arista_eos": eos,
    "juniper_junos": junos,
}
