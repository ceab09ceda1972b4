"""What NetRaven knows about each platform (a netmiko device type), in one leaf package.

Per platform, one YAML file in ``data/<device type>.yaml``: the command(s) printing the whole
configuration, privileged mode, set-up commands, error markers, the lines every configuration has,
volatile lines, secret patterns for the Redactor, how to read facts, the telnet variant.
:func:`get` answers from the built-in entries and the site's (``platforms:`` in the settings,
installed by :func:`use_site`). The files are read on first use, netmiko imported only when its
device types are asked for: settings, the inventory and the CLI can import this package cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from netraven.platforms.model import OUTPUT_SEPARATOR, Facts, Platform
from netraven.platforms.netmiko_types import (
    RESERVED,
    check_netmiko_options,
    closest_platform,
    known_platforms,
    netmiko_parameters,
)
from netraven.platforms.registry import Registry, build_registry

__all__ = [
    "DEFAULT_BACKUP_COMMAND", "OUTPUT_SEPARATOR", "RESERVED", "Facts", "Platform", "Registry",
    "backup_command", "build_registry", "check_netmiko_options", "closest_platform", "find", "get",
    "known_platforms", "names", "netmiko_parameters", "registry", "use_site",
]  # fmt: skip

#: What a platform without an entry is backed up with: (command, privileged mode).
DEFAULT_BACKUP_COMMAND = ("show running-config", False)

_active: dict[str, tuple[str, Registry]] = {}
_BUILTIN = json.dumps({})  # the key of the built-in registry alone


def registry() -> Registry:
    """The registry in use: the built-in platforms and the site's last given to :func:`use_site`."""
    if "registry" not in _active:
        _active["registry"] = (_BUILTIN, build_registry())
    return _active["registry"][1]


def use_site(site: Mapping[str, Any] | None) -> None:
    """Check ``site``'s platform entries (``{name: entry}``) and answer with them from now on.

    A wrong entry raises a one-line :class:`~netraven.exceptions.ConfigError` naming its key; the
    registry in use is then left as it was. No entries: the built-in registry, read on first use.
    """
    key = json.dumps(site or {}, sort_keys=True, default=str)
    current = _active.get("registry")
    if current is not None and current[0] == key:
        return  # each shard and settings load gives it again: rebuilding took a backup's CPU
    if not site:
        _active.pop("registry", None)
        return
    _active["registry"] = (key, build_registry(site))


def get(name: str) -> Platform:
    """Platform ``name`` (or what it is an alias of); unknown: a one-line ConfigError with a suggestion."""
    return registry().get(name)


def find(name: str | None) -> Platform | None:
    """Platform ``name``, or None when the registry has no entry for it."""
    return registry().find(name)


def names() -> tuple[str, ...]:
    """The name of every platform in the registry, sorted."""
    return registry().names()


def backup_command(platform: str | None) -> tuple[str, bool]:
    """The command(s) printing ``platform``'s configuration (``"; "``-joined) and whether it needs
    privileged mode; :data:`DEFAULT_BACKUP_COMMAND` for a platform without an entry."""
    found = find(platform)
    return (found.command, found.enable) if found is not None else DEFAULT_BACKUP_COMMAND


def __getattr__(name: str) -> Any:
    """The tables this module had before the registry, computed from it on first use."""
    if name == "BACKUP_COMMANDS":
        return {n: (get(n).command, get(n).enable) for n in names()}
    if name == "CONFIG_MARKERS":
        return {n: (p.config_markers, p.config_what) for n in names() if (p := get(n)).config_markers}
    if name == "ERROR_MARKERS":
        return registry().generic_errors
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
