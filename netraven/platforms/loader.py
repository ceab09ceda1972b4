"""Platform entries from mappings (the built-in YAML files, a site's ``platforms:`` settings).

An entry is a mapping of the keys in :data:`KEYS`. ``base: <platform>`` starts from that entry: a key
given replaces the base's value, except ``secrets``, ``volatile`` and ``error_markers``, which add to
the base's (an entry can never drop what its base masks) and ``facts``/``config_markers``, merged key
by key (``facts: null`` removes them). A wrong key, type or pattern is a one-line :class:`ConfigError`
naming it, with a suggestion for a misspelt key.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from netraven.exceptions import ConfigError
from netraven.platforms.model import Facts, Platform

#: Every key of an entry, with what it holds.
KEYS: dict[str, str] = {
    "base": "the platform this one starts from",
    "description": "what the platform is, for people",
    "commands": "the command(s) printing the whole configuration, in order",
    "enable": "whether privileged mode is needed first",
    "setup_commands": "commands sent once before, where netmiko's driver does not",
    "telnet": "netmiko's telnet device type for the platform",
    "aliases": "other names of the platform (Oxidized/RANCID models)",
    "notes": "what else to know, for people",
    "error_markers": "regexes of the lines by which the device says a command failed",
    "config_markers": "{pattern, what}: a line every configuration of the platform has",
    "volatile": "regexes of the lines that change without the configuration changing",
    "secrets": "regexes finding secrets, each in its group 's'",
    "facts": "{command, textfsm_platform, os_version, model, serial, uptime}",
}
FACT_KEYS = ("command", "textfsm_platform", "os_version", "model", "serial", "uptime")
MARKER_KEYS = ("pattern", "what")
ADDED = ("secrets", "volatile", "error_markers")
MERGED = ("facts", "config_markers")


def merge(base: Mapping[str, Any], entry: Mapping[str, Any], renamed: bool = False) -> dict[str, Any]:
    """``entry`` over ``base``, by the rules of this module's docstring (``base`` key dropped; a
    ``renamed`` entry, another platform than its base, does not take the base's aliases)."""
    dropped = ("base", "aliases") if renamed else ("base",)
    merged = {key: value for key, value in base.items() if key not in dropped}
    for key, value in entry.items():
        if key == "base":
            continue
        if key in ADDED and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *(item for item in value if item not in merged[key])]
        elif key in MERGED and isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def check_keys(
    entry: Mapping[str, Any], where: str, known: tuple[str, ...] | dict[str, str] = tuple(KEYS)
) -> None:
    """Refuse a key of ``entry`` not in ``known``, by name, with the closest known key."""
    for key in entry:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            raise ConfigError(f"{where}.{key}: unknown key ({hint})", key=f"{where}.{key}")


def build(name: str, entry: Mapping[str, Any], generic: Mapping[str, Any], where: str) -> Platform:
    """The :class:`Platform` ``name`` from its (merged) ``entry``; ``generic`` adds its error markers."""
    check_keys(entry, where)
    field = _Fields(entry, where)
    commands = field.strings("commands")
    if not commands:
        raise ConfigError(f"{where}.commands: expected at least one command", key=f"{where}.commands")
    errors = [*generic.get("error_markers", []), *field.strings("error_markers")]
    markers = entry.get("config_markers")
    marker, what = None, ""
    if markers is not None:
        if not isinstance(markers, Mapping):
            key = f"{where}.config_markers"
            raise ConfigError(f"{key}: expected a mapping {{pattern, what}}", key=key)
        check_keys(markers, f"{where}.config_markers", MARKER_KEYS)
        sub = _Fields(markers, f"{where}.config_markers")
        marker, what = sub.pattern("pattern"), sub.string("what") or "configuration line"
    volatile = field.patterns("volatile")
    _compile("|".join(f"(?:{p.pattern})" for p in volatile), f"{where}.volatile")  # one regex with the rest
    return Platform(
        name=name,
        description=field.string("description"),
        commands=commands,
        enable=field.boolean("enable"),
        setup_commands=field.strings("setup_commands"),
        error_markers=error_markers(errors, f"{where}.error_markers"),
        config_markers=marker,
        config_what=what,
        volatile=volatile,
        secrets=field.patterns("secrets", group="s"),
        facts=_facts(entry.get("facts"), f"{where}.facts"),
        telnet=field.string("telnet") or None,
        aliases=field.strings("aliases"),
        notes=field.string("notes"),
    )


def _facts(raw: Any, where: str) -> Facts | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected a mapping {{{', '.join(FACT_KEYS)}}}", key=where)
    check_keys(raw, where, FACT_KEYS)
    field = _Fields(raw, where)
    command = field.string("command")
    if not command:
        raise ConfigError(f"{where}.command: expected the command printing the facts", key=f"{where}.command")

    def one(key: str) -> re.Pattern[str] | None:
        return field.pattern(key, group="v") if raw.get(key) is not None else None

    return Facts(
        command=command,
        textfsm_platform=field.string("textfsm_platform") or None,
        os_version=one("os_version"),
        model=one("model"),
        serial=one("serial"),
        uptime=one("uptime"),
    )


def error_markers(patterns: list[str] | tuple[str, ...], where: str) -> re.Pattern[str]:
    """One regex finding a line that starts (after blanks) with any of ``patterns``, in any case."""
    alternatives = "|".join(f"(?:{p})" for p in patterns) or "(?!)"
    return _compile(f"^[ \\t]*(?:{alternatives})", where, flags=re.IGNORECASE)


def _compile(pattern: str, where: str, group: str | None = None, flags: int = 0) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern, re.MULTILINE | flags)
    except re.error as exc:
        raise ConfigError(
            f"{where}: {pattern!r} is not a valid regular expression: {exc}", key=where
        ) from None
    if group is not None and group not in compiled.groupindex:
        raise ConfigError(f"{where}: {pattern!r} has no group named {group!r}: (?P<{group}>...)", key=where)
    return compiled


class _Fields:
    """Typed reads of one entry's values, each wrong one a ConfigError naming its key."""

    def __init__(self, entry: Mapping[str, Any], where: str) -> None:
        self.entry, self.where = entry, where

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(
            f"{self.where}.{key} = {self.entry[key]!r}: expected {expected}", key=f"{self.where}.{key}"
        )

    def string(self, key: str) -> str:
        value = self.entry.get(key)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.isprintable():
            raise self._fail(key, "a string (printable text)")
        return value

    def boolean(self, key: str) -> bool:
        value = self.entry.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.entry.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self._fail(key, "a list of strings (printable text)")
        for item in value:
            if not isinstance(item, str) or not item or not item.isprintable():
                where = f"{self.where}.{key}"
                raise ConfigError(f"{where}: {item!r} is not a string (printable text)", key=where)
        return tuple(value)

    def pattern(self, key: str, group: str | None = None) -> re.Pattern[str]:
        return _compile(self.string(key), f"{self.where}.{key}", group)

    def patterns(self, key: str, group: str | None = None) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(p, f"{self.where}.{key}", group) for p in self.strings(key))
