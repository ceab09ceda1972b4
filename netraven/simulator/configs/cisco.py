"""Deterministic starting configs for the IOS-like platforms (IOS, NX-OS, EOS).

A config is a list of blocks; a block is a top-level line followed by its indented children.
Everything is drawn from ``random.Random(hostname)``, so one hostname always gets the same config.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

Block = list[str]


@dataclass(frozen=True)
class Dialect:
    """How one IOS-like platform spells the same things."""

    indent: str
    interface: str
    uplink: str
    version: str
    user_secret: str


DIALECTS = {
    "cisco_ios": Dialect(" ", "GigabitEthernet1/0/{}", "TenGigabitEthernet1/1/{}", "version 15.9", "5"),
    "cisco_nxos": Dialect("  ", "Ethernet1/{}", "Ethernet1/{}", "version 9.3(8) Bios:version 05.45", "5"),
    "arista_eos": Dialect("   ", "Ethernet{}", "Ethernet{}", "", "sha512"),
}
_B64 = string.ascii_letters + string.digits + "./"
_WORDS = ("core", "dist", "edge", "wan", "dmz", "lab", "mgmt", "voice", "users", "servers", "iot", "guest")


def type7(rng: random.Random) -> str:
    """A type-7-looking obfuscated password."""
    return f"{rng.randrange(16):02d}" + "".join(rng.choice("0123456789ABCDEF") for _ in range(18))


def md5_crypt(rng: random.Random) -> str:
    salt = "".join(rng.choice(_B64) for _ in range(4))
    return f"$1${salt}${''.join(rng.choice(_B64) for _ in range(22))}"


def scrypt_hash(rng: random.Random) -> str:
    return f"$9${''.join(rng.choice(_B64) for _ in range(14))}${''.join(rng.choice(_B64) for _ in range(43))}"


def sha512_crypt(rng: random.Random) -> str:
    return f"$6${''.join(rng.choice(_B64) for _ in range(16))}${''.join(rng.choice(_B64) for _ in range(86))}"


def token(rng: random.Random, length: int = 12) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))


def generate(hostname: str, platform: str, seed: str | None = None) -> list[Block]:
    """The starting running config of ``hostname`` as blocks (volatile header lines excluded)."""
    rng = random.Random(seed or hostname)
    d = DIALECTS[platform]
    i = d.indent
    site = rng.randrange(1, 250)
    blocks: list[Block] = []
    if d.version:
        blocks.append([d.version])
    if platform == "cisco_ios":
        blocks += [
            ["service timestamps debug datetime msec"],
            ["service timestamps log datetime msec"],
            ["service password-encryption"],
        ]
    blocks.append([f"hostname {hostname}"])
    if platform == "cisco_nxos":
        blocks += [[f"feature {f}"] for f in ("tacacs+", "ospf", "bgp", "interface-vlan", "lacp", "lldp")]
    if platform == "cisco_ios":
        blocks += [
            ["boot-start-marker"],
            ["boot-end-marker"],
            ["logging buffered 64000"],
            [f"enable secret 9 {scrypt_hash(rng)}"],
            ["aaa new-model"],
            ["aaa authentication login default group tacacs+ local"],
            ["aaa authorization exec default group tacacs+ local"],
            ["clock timezone UTC 0 0"],
        ]
    blocks += [
        [f"ip domain{'-' if platform == 'cisco_nxos' else ' '}name {rng.choice(_WORDS)}.lab.example.net"],
        [f"ip name-server 10.{site}.0.53"],
    ]
    blocks += _users(rng, platform)
    blocks += _vlans(rng, i)
    blocks += _interfaces(rng, d, site)
    blocks += _routing(rng, i, site)
    blocks += _acls(rng, i, platform)
    blocks += _aaa_and_snmp(rng, i, platform, site)
    if platform != "cisco_nxos":
        blocks.append(["banner motd ^C", f"Authorized access only - {hostname} is monitored.", "^C"])
    if platform == "cisco_ios":
        blocks += [
            ["line con 0", f"{i}exec-timeout 15 0", f"{i}logging synchronous"],
            ["line vty 0 4", f"{i}password 7 {type7(rng)}", f"{i}transport input ssh"],
        ]
    blocks += [[f"ntp server 10.{site}.0.{n}"] for n in (123, 124)]
    return blocks


def _users(rng: random.Random, platform: str) -> list[Block]:
    names = ["netops", "backup", "auditor", "breakglass"][: rng.randint(2, 4)]
    blocks = []
    for n, name in enumerate(names):
        if platform == "cisco_nxos":
            blocks.append(
                [f"username {name} password 5 {sha512_crypt(rng).replace('$6$', '$5$')} role network-admin"]
            )
        elif platform == "arista_eos":
            blocks.append(
                [f"username {name} privilege 15 role network-admin secret sha512 {sha512_crypt(rng)}"]
            )
        elif n % 2:
            blocks.append([f"username {name} privilege 1 password 7 {type7(rng)}"])
        else:
            blocks.append([f"username {name} privilege 15 secret 5 {md5_crypt(rng)}"])
    return blocks


def _vlans(rng: random.Random, i: str) -> list[Block]:
    ids = sorted(rng.sample(range(10, 400), rng.randint(6, 24)))
    return [[f"vlan {v}", f"{i}name {rng.choice(_WORDS).upper()}-{v}"] for v in ids]


def _interfaces(rng: random.Random, d: Dialect, site: int) -> list[Block]:
    blocks = [["interface Loopback0", f"{d.indent}ip address 10.255.{site}.{rng.randrange(1, 254)}/32"]]
    for n in range(1, rng.randint(2, 4) + 1):
        block = [
            f"interface {d.uplink.format(n)}",
            f"{d.indent}description uplink to {rng.choice(_WORDS)}-{n:02d}",
            f"{d.indent}ip address 10.{site}.{n}.{rng.choice((1, 2))}/30",
            f"{d.indent}ip ospf authentication-key 7 {type7(rng)}",
        ]
        blocks.append([*block, f"{d.indent}no shutdown"])
    for n in range(1, rng.randint(8, 32) + 1):
        block = [
            f"interface {d.interface.format(n + 10)}",
            f"{d.indent}description {rng.choice(_WORDS)} access port {n}",
            f"{d.indent}switchport access vlan {rng.randrange(10, 400)}",
        ]
        if rng.random() < 0.3:
            block.append(f"{d.indent}shutdown")
        blocks.append(block)
    if d.indent == " ":  # IOS writes masks, the others prefix lengths
        blocks = [[_ios_mask(line) for line in block] for block in blocks]
    return blocks


def _ios_mask(line: str) -> str:
    if " ip address " not in line or "/" not in line:
        return line
    address, _, length = line.rpartition(" ")[2].partition("/")
    mask = {"32": "255.255.255.255", "30": "255.255.255.252"}[length]
    return f"{line.rsplit(' ', 1)[0]} {address} {mask}"


def _routing(rng: random.Random, i: str, site: int) -> list[Block]:
    asn = 65000 + site
    ospf = [
        "router ospf 1",
        f"{i}router-id 10.255.{site}.1",
        f"{i}passive-interface default",
        f"{i}network 10.{site}.0.0 0.0.255.255 area 0",
    ]
    bgp = [f"router bgp {asn}", f"{i}bgp router-id 10.255.{site}.1", f"{i}bgp log-neighbor-changes"]
    for n in range(rng.randint(2, 6)):
        peer = f"10.{site}.{n + 1}.{rng.choice((1, 2))}"
        bgp += [
            f"{i}neighbor {peer} remote-as {65100 + n}",
            f"{i}neighbor {peer} password 7 {type7(rng)}",
            f"{i}neighbor {peer} description peer-{rng.choice(_WORDS)}",
        ]
    return [ospf, bgp]


def _acls(rng: random.Random, i: str, platform: str) -> list[Block]:
    blocks = []
    for name in ("MGMT-IN", "SNMP-RO", rng.choice(_WORDS).upper() + "-FILTER"):
        head = f"ip access-list {'' if platform == 'cisco_nxos' else 'extended '}{name}".replace("  ", " ")
        rules = [
            f"{i}{10 * (n + 1)} permit tcp 10.{rng.randrange(256)}.{rng.randrange(256)}.0 0.0.0.255 any eq "
            f"{rng.choice((22, 161, 443, 830))}"
            for n in range(rng.randint(3, 10))
        ]
        blocks.append([head, *rules, f"{i}{10 * (len(rules) + 1)} deny ip any any log"])
    return blocks


def _aaa_and_snmp(rng: random.Random, i: str, platform: str, site: int) -> list[Block]:
    blocks: list[Block] = [
        [f"snmp-server community Ro-{token(rng, 10)} RO SNMP-RO"],
        [f"snmp-server community Rw-{token(rng, 10)} RW SNMP-RO"],
        [f"snmp-server location site-{site} rack {rng.randrange(1, 40)}"],
        [f"snmp-server contact noc@{rng.choice(_WORDS)}.lab.example.net"],
        [f"tacacs-server host 10.{site}.0.49 key 7 {type7(rng)}"],
        [f"radius-server host 10.{site}.0.18 key 7 {type7(rng)}"],
        ["key chain OSPF-KEYS", f"{i}key 1", f"{i}{i}key-string 7 {type7(rng)}"],
    ]
    if platform == "cisco_ios":
        blocks += [
            [f"crypto isakmp key {token(rng, 16)} address 0.0.0.0 0.0.0.0"],
            [f"logging host 10.{site}.0.{rng.randrange(2, 50)}"],
        ]
    return blocks
