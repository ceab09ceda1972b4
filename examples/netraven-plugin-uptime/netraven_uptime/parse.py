"""Uptime in seconds from what devices print, and back to a short human string.

The lines read, as real devices (and NetRaven's simulator) print them::

    IOS    sw1 uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes      (show version)
    NX-OS  Kernel uptime is 12 day(s), 3 hour(s), 4 minute(s), 5 second(s)  (show version)
    EOS    Uptime: 1 week, 2 days, 3 hours and 4 minutes                     (show version)
    Junos  System booted: 2024-02-26 08:55:00 UTC (1w4d 03:05 ago)           (show system uptime)

Junos prints ``(HH:MM:SS ago)`` in the first day, and no uptime at all in ``show version``.
"""

from __future__ import annotations

import re

UNIT_SECONDS = {"year": 365 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60, "second": 1}

_WORDS_LINE = re.compile(r"(?:\buptime is|^\s*uptime:)(?P<text>.*)$", re.IGNORECASE | re.MULTILINE)
_AMOUNT = re.compile(r"(\d+)\s*(year|week|day|hour|minute|second)", re.IGNORECASE)
_JUNOS_BOOTED = re.compile(
    r"^\s*System booted:.*\("
    r"(?:(?P<w>\d+)w)?(?:(?P<d>\d+)d)?\s*(?P<h>\d+):(?P<m>\d\d)(?::(?P<s>\d\d))?\s+ago\)",
    re.MULTILINE,
)


def parse_uptime(text: str) -> int | None:
    """The uptime in ``text`` in seconds, or None when no line of a known format holds one."""
    booted = _JUNOS_BOOTED.search(text)
    if booted:
        w, d, h, m, s = (int(booted[g] or 0) for g in "wdhms")
        return (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s
    for line in _WORDS_LINE.finditer(text):
        amounts = _AMOUNT.findall(line["text"])
        if amounts:
            return sum(int(n) * UNIT_SECONDS[unit.lower()] for n, unit in amounts)
    return None


def describe_uptime(seconds: int) -> str:
    """``"up 3 days, 4:05"`` (days, hours:minutes), ``"up 1 day, 0:10"`` or ``"up 4:05"``."""
    days, rest = divmod(seconds, 86400)
    clock = f"{rest // 3600}:{rest // 60 % 60:02d}"
    return f"up {days} day{'s' * (days != 1)}, {clock}" if days else f"up {clock}"
