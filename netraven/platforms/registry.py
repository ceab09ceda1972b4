"""The registry: the built-in entries (``data/<device type>.yaml``) and a site's, loaded once.

``data/_generic.yaml`` holds what applies to every platform: secret patterns for any text, volatile
lines and error markers. A site's ``platforms:`` settings add platforms (a netmiko device type, with
``base:`` or a whole entry) or change built-in ones (merged into them, see :mod:`.loader`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from netraven.exceptions import ConfigError
from netraven.platforms.loader import build, check_keys, error_markers, merge
from netraven.platforms.model import Platform
from netraven.platforms.netmiko_types import closest_platform, known_platforms

GENERIC_KEYS = ("secrets", "volatile", "error_markers")


class Registry:
    """Platforms by name (and alias), plus the generic patterns that apply to all of them."""

    def __init__(self, platforms: Mapping[str, Platform], generic: Mapping[str, Any]) -> None:
        self._platforms = dict(platforms)
        self._names = {p.telnet: p.name for p in self._platforms.values() if p.telnet}  # cisco_ios_telnet
        self._names.update({alias: p.name for p in self._platforms.values() for alias in p.aliases})
        self._names.update({name: name for name in self._platforms})
        self.generic_secrets = _patterns(generic.get("secrets", []), "s")
        self.generic_volatile = _patterns(generic.get("volatile", []))
        self.generic_errors = error_markers(generic.get("error_markers", []), "generic.error_markers")

    def __repr__(self) -> str:
        return f"Registry({len(self._platforms)} platforms)"

    def names(self) -> tuple[str, ...]:
        """Every platform's name (not the aliases), sorted."""
        return tuple(sorted(self._platforms))

    def find(self, name: str | None) -> Platform | None:
        """Platform ``name`` (or the platform it is an alias or the telnet device type of), None
        when there is none."""
        real = self._names.get(name or "")
        return self._platforms[real] if real is not None else None

    def get(self, name: str) -> Platform:
        """Platform ``name``, or a one-line :class:`ConfigError` with the closest name."""
        found = self.find(name)
        if found is None:
            close = difflib.get_close_matches(str(name), sorted(self._names), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see 'docs/platforms.md'"
            raise ConfigError(f"unknown platform {name!r} ({hint})", key="platform")
        return found

    def error_markers(self, name: str | None) -> re.Pattern[str]:
        """Platform ``name``'s error markers; the generic ones for a platform without an entry."""
        found = self.find(name)
        return found.error_markers if found is not None else self.generic_errors

    @property
    def all_volatile(self) -> tuple[re.Pattern[str], ...]:
        """Every platform's volatile-line patterns, each once."""
        seen: dict[str, re.Pattern[str]] = {}
        for name in self.names():
            seen.update((p.pattern, p) for p in self._platforms[name].volatile if p.pattern not in seen)
        return tuple(seen.values())

    @property
    def all_secrets(self) -> tuple[re.Pattern[str], ...]:
        """Every platform's secret patterns, then the generic ones, each pattern once."""
        seen: dict[str, re.Pattern[str]] = {}
        for pattern in (
            *(p for n in self.names() for p in self._platforms[n].secrets),
            *self.generic_secrets,
        ):
            seen.setdefault(pattern.pattern, pattern)
        return tuple(seen.values())


def _patterns(raw: list[str], group: str | None = None) -> tuple[re.Pattern[str], ...]:
    compiled = tuple(re.compile(p, re.MULTILINE) for p in raw)
    assert group is None or all(group in p.groupindex for p in compiled), "generic secret without group 's'"
    return compiled


@cache
def builtin_entries() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The raw built-in entries by name (``base:`` resolved) and the generic one, read once."""
    raw: dict[str, dict[str, Any]] = {}
    generic: dict[str, Any] = {}
    for item in sorted(
        resources.files("netraven.platforms").joinpath("data").iterdir(), key=lambda i: i.name
    ):
        if not item.name.endswith(".yaml"):
            continue
        entry = yaml.load(item.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if item.name == "_generic.yaml":
            generic = entry
        else:
            raw[item.name.removesuffix(".yaml")] = entry
    return {name: _resolve(name, raw, ()) for name in raw}, generic


def _resolve(name: str, raw: Mapping[str, dict[str, Any]], seen: tuple[str, ...]) -> dict[str, Any]:
    entry = raw[name]
    base = entry.get("base")
    if base is None:
        return entry
    if base in seen or base not in raw:
        raise ConfigError(f"platform {name}: base {base!r} is unknown or circular", key=f"{name}.base")
    return merge(_resolve(base, raw, (*seen, name)), entry, renamed=True)


def build_registry(site: Mapping[str, Any] | None = None, where: str = "platforms") -> Registry:
    """The built-in platforms with ``site``'s entries (``{name: entry}``) added or merged in."""
    entries, generic = builtin_entries()
    entries = dict(entries)
    for name, entry in (site or {}).items():
        key = f"{where}.{name if str(name).isprintable() else repr(name)}"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{key}: expected a mapping of platform keys, got {entry!r}", key=key)
        check_keys(entry, key)
        base = entry.get("base", name if name in entries else None)
        if base is not None and base not in entries:
            close = difflib.get_close_matches(str(base), sorted(entries), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(entries))}"
            raise ConfigError(f"{key}.base: unknown platform {base!r} ({hint})", key=f"{key}.base")
        if name not in entries and name not in known_platforms():
            nearest = closest_platform(str(name))
            hint = f"did you mean {nearest!r}?" if nearest else "see netmiko's device types"
            raise ConfigError(f"{key}: not a netmiko device type ({hint})", key=key)
        entries[name] = merge(entries[base], entry, renamed=base != name) if base is not None else dict(entry)
        telnet = entry.get("telnet")
        if telnet is not None and telnet not in known_platforms():
            nearest = closest_platform(str(telnet))
            hint = f"did you mean {nearest!r}?" if nearest else "a netmiko device type ending in _telnet"
            raise ConfigError(f"{key}.telnet: not a netmiko device type ({hint})", key=f"{key}.telnet")
    built = {}
    for name, entry in entries.items():
        built[name] = build(name, entry, generic, f"{where}.{name}" if name in (site or {}) else name)
    return Registry(built, generic)
