"""What counts as a config change: volatile lines dropped, whitespace normalised, secrets optionally masked.

Devices print lines that change on every fetch (timestamps, ``ntp clock-period``) or whenever anything
changes (``Current configuration : N bytes``); these are dropped before hashing so that only a real
change makes a new version. The platform registry holds the generic and per-platform rules
(:mod:`netraven.platforms`); ``backup.volatile_patterns`` adds more.
:func:`validate_config` refuses output that is not a config, so a bad fetch never replaces a good one.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable

from netraven import platforms
from netraven.exceptions import ConfigError, DeviceError
from netraven.platforms.clean import clean_output
from netraven.platforms.model import matched_line
from netraven.redaction import Redactor

NOT_A_CONFIG = "output does not look like a configuration"

# U+FFFD is what undecodable bytes become; no config line holds C0 controls other than tab/CR/LF.
DAMAGED = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def volatile_rules(platform: str, extra_patterns: Iterable[str] = ()) -> re.Pattern[str]:
    """One compiled regex matching every volatile line of ``platform`` (all platforms' when unknown)."""
    return _rules(platforms.registry(), platform, tuple(extra_patterns))


@functools.lru_cache(maxsize=128)
def _rules(registry: platforms.Registry, platform: str, extra: tuple[str, ...]) -> re.Pattern[str]:
    found = registry.find(platform)
    chosen = found.volatile if found is not None else registry.all_volatile
    own = tuple(p.pattern for p in (*registry.generic_volatile, *chosen))
    for pattern in extra:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"backup.volatile_patterns: {pattern!r} is not a valid regular expression: {exc}",
                key="backup.volatile_patterns",
            ) from None
    return re.compile("|".join(f"(?:{p})" for p in (*dict.fromkeys(own), *extra)))


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def normalize(
    text: str,
    platform: str,
    extra_patterns: Iterable[str] = (),
    mask_secrets: bool = False,
    redactor: Redactor | None = None,
) -> str:
    """``text`` without volatile lines, with ``\\n`` line ends, no trailing blanks, one final newline.

    With ``mask_secrets`` the secrets a :class:`Redactor` finds are masked too, so a device that
    re-hashes a type-5 secret at each display does not look changed.
    """
    rules = volatile_rules(platform, extra_patterns)
    kept = [line for line in _lines(text) if not rules.match(line)]
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    result = "\n".join(kept) + "\n" if kept else ""
    if mask_secrets:
        result = (redactor or Redactor()).redact(result)
    return result


def config_hash(normalized: str) -> str:
    """The SHA-256 hex digest of a normalised config."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def validate_config(
    text: str, platform: str, min_lines: int, host: str | None = None, markers: bool = True
) -> None:
    """Raise a one-line :class:`DeviceError` when ``text`` is not plausibly ``platform``'s config.

    ``text`` is cleaned first (:func:`~netraven.platforms.clean.clean_output`). A device error
    message in the output (the platform's error markers: ``% Invalid input``, ``Command fail``...)
    is a ``command`` error; empty or short output (fewer than ``min_lines`` non-blank, non-volatile
    lines), output with undecodable bytes or control characters (a garbled session) and, with
    ``markers``, output without any line every config of the platform has are ``parse`` errors.
    """
    text = clean_output(text)
    error = matched_line(platforms.registry().error_markers(platform), text)
    if error is not None:
        raise DeviceError(f"config output contains a device error: {error[:80]!r}", kind="command", host=host)
    if DAMAGED.search(text):
        raise DeviceError(
            "config output is damaged (undecodable bytes or control characters)", kind="parse", host=host
        )
    lines = [line for line in _lines(text) if line.strip()]
    if not lines:
        raise DeviceError("config output is empty", kind="parse", host=host)
    rules = volatile_rules(platform)
    count = sum(1 for line in lines if not rules.match(line))
    if count < min_lines:
        raise DeviceError(
            f"config output is implausibly short: {count} lines, expected at least {min_lines}",
            kind="parse",
            host=host,
        )
    entry = platforms.find(platform)
    marker = entry.config_markers if markers and entry is not None else None
    if marker is not None and entry is not None and not marker.search("\n".join(lines)):
        raise DeviceError(
            f"{NOT_A_CONFIG}: no {entry.config_what}, which every {platform} config has",
            kind="parse",
            host=host,
        )
