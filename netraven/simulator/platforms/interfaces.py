"""Interface summaries drawn from a device's running configuration, in each platform's layout.

``show ip interface brief`` (IOS, NX-OS, EOS) and ``show interfaces terse`` (Junos), close enough
to the real ones for ntc-templates to parse. An interface is up unless it is shut down (disabled).
"""

from __future__ import annotations

from dataclasses import dataclass

from netraven.simulator.configs.junos import Tree

_NXOS_SHORT = {"Loopback": "Lo", "Ethernet": "Eth"}


@dataclass(frozen=True)
class Interface:
    name: str
    address: str | None  # 10.0.0.1/30 (IOS: 10.0.0.1 255.255.255.252)
    up: bool


def cisco_interfaces(blocks: list[list[str]]) -> list[Interface]:
    """The ``interface`` blocks of an IOS-like config, in config order."""
    found = []
    for block in blocks:
        if block[0].startswith("interface "):
            children = [line.strip() for line in block[1:]]
            addresses = [c.removeprefix("ip address ") for c in children if c.startswith("ip address ")]
            name = block[0].split(maxsplit=1)[1]
            found.append(Interface(name, addresses[0] if addresses else None, "shutdown" not in children))
    return found


def ip_interface_brief(platform: str, blocks: list[list[str]]) -> list[str]:
    """``show ip interface brief`` of an IOS, NX-OS or EOS device with config ``blocks``."""
    interfaces = cisco_interfaces(blocks)
    if platform == "cisco_ios":
        lines = [f"{'Interface':<27}{'IP-Address':<16}OK? Method Status                Protocol"]
        for i in interfaces:
            status = "up" if i.up else "administratively down"
            address, method = (i.address.split()[0], "NVRAM") if i.address else ("unassigned", "unset")
            lines.append(f"{i.name:<27}{address:<16}YES {method:<7}{status:<22}{'up' if i.up else 'down'}")
        return lines
    routed = [i for i in interfaces if i.address]
    if platform == "cisco_nxos":
        heading = f"{'Interface':<21}{'IP Address':<16}Interface Status"
        lines = ['IP Interface Status for VRF "default"(1)', heading]
        for i in routed:
            long, short = next(((k, v) for k, v in _NXOS_SHORT.items() if i.name.startswith(k)), ("", ""))
            name = short + i.name.removeprefix(long)
            state = "up" if i.up else "down"
            address = (i.address or "").split("/")[0]
            lines.append(f"{name:<21}{address:<16}protocol-{state}/link-{state}/admin-{state}")
        return lines
    lines = [
        f"{'':<72}Address",
        f"{'Interface':<18}{'IP Address':<22}{'Status':<13}{'Protocol':<15}{'MTU':<7}Owner",
        f"{'-' * 17} {'-' * 21} {'-' * 12} {'-' * 14} {'-' * 6} {'-' * 7}",
    ]
    for i in routed:
        mtu = "65535" if i.name.startswith("Loopback") else "1500"
        status = "up" if i.up else "adminDown"
        lines.append(f"{i.name:<18}{i.address or '':<22}{status:<13}{'up' if i.up else 'down':<15}{mtu}")
    return lines


def interfaces_terse(tree: Tree) -> list[str]:
    """Junos ``show interfaces terse`` of the committed configuration ``tree``."""
    lines = [f"{'Interface':<24}{'Admin':<6}{'Link':<5}{'Proto':<9}{'Local':<22}Remote"]
    interfaces = tree.get("interfaces") or {}
    for name, body in interfaces.items():
        body = body or {}
        admin = "down" if "disable" in body else "up"
        lines.append(f"{name:<24}{admin:<6}{admin}")
        for unit, unit_body in body.items():
            if not unit.startswith("unit ") or not isinstance(unit_body, dict):
                continue
            inet = unit_body.get("family inet") or {}
            address = next((key.removeprefix("address ") for key in inet if key.startswith("address ")), "")
            proto = "inet" if address else ""
            logical = f"{name}.{unit.split()[1]}"
            lines.append(f"{logical:<24}{admin:<6}{admin:<5}{proto:<9}{address}".rstrip())
    return lines
