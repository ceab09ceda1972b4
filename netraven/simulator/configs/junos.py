"""Junos configuration as a tree: deterministic generation, ``set``/``delete``, both display forms.

A tree maps a statement or container name (``"unit 0"``) to its children, or to ``None`` for a
leaf statement (``"host-name r1"``). Display-set lines are the paths to every leaf.
"""

from __future__ import annotations

import copy
import random

from netraven.simulator.configs.cisco import md5_crypt, sha512_crypt, token

Tree = dict[str, "Tree | None"]


def generate(hostname: str, seed: str | None = None) -> Tree:
    """The starting configuration of ``hostname``."""
    rng = random.Random(seed or hostname)
    site = rng.randrange(1, 250)
    users: Tree = {}
    for n, name in enumerate(["netops", "backup", "auditor", "breakglass"][: rng.randint(2, 4)]):
        secret = sha512_crypt(rng) if n % 2 else md5_crypt(rng)
        users[f"user {name}"] = {
            f"uid {2000 + n}": None,
            "class super-user": None,
            "authentication": {f'encrypted-password "{secret}"': None},
        }
    system: Tree = {
        f"host-name {hostname}": None,
        "root-authentication": {f'encrypted-password "{sha512_crypt(rng)}"': None},
        "login": {'message "Authorized access only"': None, **users},
        "services": {"ssh": {"root-login deny": None}, "netconf": {"ssh": None}},
        f"domain-name lab{site}.example.net": None,
        f"name-server 10.{site}.0.53": None,
        f"tacplus-server 10.{site}.0.49": {f'secret "$9${token(rng, 24)}"': None},
        f"radius-server 10.{site}.0.18": {f'secret "$9${token(rng, 24)}"': None},
        "syslog": {f"host 10.{site}.0.9": {"any notice": None}, "file messages": {"any any": None}},
        "ntp": {f"server 10.{site}.0.123": None, f"server 10.{site}.0.124": None},
    }
    interfaces: Tree = {"lo0": {"unit 0": {"family inet": {f"address 10.255.{site}.1/32": None}}}}
    for n in range(rng.randint(20, 30)):
        unit: Tree = {
            f'description "vlan {rng.randrange(10, 400)}"': None,
            "family inet": {f"address 10.{site}.{n}.1/30": None},
        }
        body: Tree = {
            f'description "{rng.choice(("uplink", "access", "server", "wan"))} port {n}"': None,
            f"mtu {rng.choice((1514, 9192))}": None,
            "unit 0": unit,
        }
        if rng.random() < 0.25:
            body = {"disable": None, **body}
        interfaces[f"ge-0/0/{n}"] = body
    neighbors: Tree = {}
    for n in range(rng.randint(2, 6)):
        neighbors[f"neighbor 10.{site}.{n}.2"] = {
            f"peer-as {65100 + n}": None,
            f'authentication-key "$9${token(rng, 20)}"': None,
        }
    filters: Tree = {}
    for n in range(rng.randint(3, 8)):
        filters[f"term t{n}"] = {
            "from": {
                f"source-address 10.{rng.randrange(256)}.0.0/16": None,
                "protocol tcp": None,
                f"destination-port {rng.choice((22, 443))}": None,
            },
            "then accept": None,
        }
    return {
        "version 21.4R3.15": None,
        "system": system,
        "snmp": {
            f"community Ro-{token(rng, 10)}": {"authorization read-only": None},
            f'location "site-{site}"': None,
        },
        "interfaces": interfaces,
        "routing-options": {f"router-id 10.255.{site}.1": None, f"autonomous-system {65000 + site}": None},
        "protocols": {
            "ospf": {"area 0.0.0.0": {f"interface ge-0/0/{n}.0": None for n in range(3)}},
            "bgp": {"group ebgp": {"type external": None, **neighbors}},
        },
        "policy-options": {
            "prefix-list MGMT": {f"10.{rng.randrange(256)}.{n}.0/24": None for n in range(rng.randint(5, 15))}
        },
        "firewall": {"family inet": {"filter MGMT-IN": filters}},
        "security": {
            "ike": {
                "proposal ike-p1": None,
                "policy ike-pol": {f'pre-shared-key ascii-text "$9${token(rng, 32)}"': None},
            }
        },
    }


def display_set(tree: Tree, prefix: str = "set ") -> list[str]:
    """``show configuration | display set`` lines."""
    lines: list[str] = []
    for key, child in tree.items():
        if child is None or not child:
            lines.append(prefix + key)
        else:
            lines += display_set(child, f"{prefix}{key} ")
    return lines


def display_curly(tree: Tree, depth: int = 0) -> list[str]:
    """``show configuration`` lines in the curly-brace hierarchy."""
    pad = "    " * depth
    lines: list[str] = []
    for key, child in tree.items():
        if child is None:
            lines.append(f"{pad}{key};")
        else:
            lines += [f"{pad}{key} {{", *display_curly(child, depth + 1), f"{pad}}}"]
    return lines


def _walk(tree: Tree, words: list[str]) -> tuple[Tree, list[str], list[tuple[Tree, str]]]:
    """Descend through existing containers matching the longest word prefixes."""
    path: list[tuple[Tree, str]] = []
    while words:
        for take in (3, 2, 1):
            key = " ".join(words[:take])
            child = tree.get(key)
            if len(words) > take and isinstance(child, dict):
                path.append((tree, key))
                tree, words = child, words[take:]
                break
        else:
            break
    return tree, words, path


def set_statement(tree: Tree, statement: str) -> None:
    """Apply ``set <statement>`` (new statements become a leaf under the deepest known container)."""
    node, rest, _ = _walk(tree, statement.split())
    if rest:
        node.setdefault(" ".join(rest), None)


def delete_statement(tree: Tree, statement: str) -> bool:
    """Apply ``delete <statement>``; return whether anything was removed."""
    node, rest, path = _walk(tree, statement.split())
    key = " ".join(rest)
    if key in node:
        del node[key]
    else:
        removed = [k for k in node if k.startswith(key + " ")]
        for k in removed:
            del node[k]
        if not removed:
            return False
    while path and not node:
        parent, key = path.pop()
        del parent[key]
        node = parent
    return True


def clone(tree: Tree) -> Tree:
    """An independent copy (the candidate configuration)."""
    return copy.deepcopy(tree)
