"""One redactor for every writer of logs, results, errors and stored configs.

It removes the known secret values of a host (passwords, enable secrets) wherever they appear, and the
secrets device configs carry, found by the platform registry's patterns (:mod:`netraven.platforms`):
the generic ones and the platform's, or every platform's when the platform is not known.
:class:`RedactingFormatter` applies the same rules to an application log (the worker's).
"""

from __future__ import annotations

import logging
import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from netraven import platforms

MASK = "<redacted>"

# A pattern that needs a literal (its keyword) is run only on a text holding it: a substring search
# is far cheaper than a regex scan, and a config holds few of the registry's many keywords.
_MIN_LITERAL = 3
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


class Redactor:
    """Masks ``secrets`` (exact values) and config secrets found by pattern in any text.

    ``platform`` (a netmiko device type) narrows the patterns to that platform's and the generic
    ones; without it (or for a platform the registry does not know) every platform's apply. The
    platforms' own patterns run first: they know their syntax better than the generic ones.
    """

    def __init__(self, secrets: Iterable[str | None] = (), platform: str | None = None) -> None:
        self._values = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)
        self._secrets = re.compile("|".join(map(re.escape, self._values))) if self._values else None
        self._patterns = _patterns(platforms.registry(), platform)

    def __repr__(self) -> str:
        return "Redactor(<secrets hidden>)"

    def redact(self, text: str) -> str:
        """``text`` with every known secret and config secret replaced by ``<redacted>``."""
        if not text:
            return text
        if self._secrets is not None:
            text = self._secrets.sub(MASK, text)
        for literal, pattern in self._patterns:
            if literal is None or literal in text:
                text = pattern.sub(_mask_group, text)
        return text


class RedactingFormatter(logging.Formatter):
    """A log formatter whose every line (tracebacks included) passes through :attr:`redactor`.

    Assign a new :class:`Redactor` to :attr:`redactor` when the known secret values change.
    """

    def __init__(self, fmt: str | None = None, redactor: Redactor | None = None) -> None:
        super().__init__(fmt)
        self.redactor = redactor or Redactor()

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(super().format(record))


@lru_cache(maxsize=128)
def _patterns(
    registry: platforms.Registry, platform: str | None
) -> tuple[tuple[str | None, re.Pattern[str]], ...]:
    found = registry.find(platform)
    chosen = (*found.secrets, *registry.generic_secrets) if found is not None else registry.all_secrets
    return tuple((_literal(p), p) for p in chosen)


def _literal(pattern: re.Pattern[str]) -> str | None:
    """The longest literal every match of ``pattern`` contains (3+ characters), if it has one.

    Read from the parsed pattern (``re._parser``): runs of literal characters in the top-level
    sequence and in its groups, which every match goes through; None when unsure.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a private parser: whatever it does, the pattern simply always runs
        return None
    runs: list[str] = []

    def walk(items: Any) -> None:
        run: list[str] = []
        for op, value in items:
            if op is sre_constants.LITERAL:
                run.append(chr(value))
                continue
            runs.append("".join(run))
            run = []
            if op is sre_constants.SUBPATTERN:
                walk(value[-1])
            elif op in _REPEATS and value[0] >= 1:  # repeated at least once: its literals are needed too
                walk(value[2])
        runs.append("".join(run))

    walk(parsed)
    best = max(runs, key=len, default="")
    return best if len(best) >= _MIN_LITERAL else None


def _mask_group(match: re.Match[str]) -> str:
    whole, start, end = match.group(0), match.start("s") - match.start(), match.end("s") - match.start()
    if match.group("s") == MASK:
        return whole
    return whole[:start] + MASK + whole[end:]
