"""Filling a profile's templates: fixed per-device values and volatile ones that differ at each read.

Each simulated device has a :class:`Clock` that ticks at least one second per read, so two reads
within the same second still print different timestamps and uptimes, as two reads a second apart
on a real device would.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from netraven.simulator.profile import TOKEN

#: how long simulated devices have been up when the simulator starts
BOOTED_AGO = timedelta(days=23, hours=4, minutes=17, seconds=9)
_UPTIME_CODE = re.compile(r"%(0?)([DWdHMST])")
_B64 = string.ascii_letters + string.digits + "+/"


class Clock:
    """A device's wall clock: real time, but at least one second later than its last reading."""

    def __init__(self) -> None:
        self.booted = datetime.now(UTC).replace(microsecond=0) - BOOTED_AGO
        self._last = self.booted

    def tick(self) -> datetime:
        now = max(datetime.now(UTC).replace(microsecond=0), self._last + timedelta(seconds=1))
        self._last = now
        return now


def serial_of(hostname: str) -> str:
    """A serial number derived from the hostname (stable across reads and runs)."""
    digits = "".join(c for c in hostname if c.isdigit()).rjust(8, "0")
    return f"SIM{abs(hash_text(hostname)) % 1000:03d}{digits[-8:]}"


def hash_text(text: str) -> int:
    """A stable (unsalted) hash of ``text``."""
    value = 0
    for char in text:
        value = (value * 131 + ord(char)) % 1_000_000_007
    return value


def uptime_text(seconds: int, fmt: str) -> str:
    """``fmt`` with ``%D`` days, ``%W`` weeks, ``%d`` days past the weeks, ``%H``/``%M``/``%S``
    hours/minutes/seconds of the day (``%0H``... zero-padded), ``%T`` total seconds."""
    days, rest = divmod(seconds, 86400)
    values = {
        "D": days,
        "W": days // 7,
        "d": days % 7,
        "H": rest // 3600,
        "M": rest // 60 % 60,
        "S": rest % 60,
        "T": seconds,
    }
    return _UPTIME_CODE.sub(lambda m: f"{values[m.group(2)]:{'02d' if m.group(1) else 'd'}}", fmt)


@dataclass
class Context:
    """What a template is filled with: the device, the reader, the time of this read."""

    hostname: str
    user: str
    now: datetime
    booted: datetime
    line: str = ""
    column: int = 0

    def value(self, name: str, argument: str | None) -> str:
        rng = random.Random()
        if name == "hostname":
            return self.hostname
        if name == "user":
            return self.user
        if name == "serial":
            return serial_of(self.hostname)
        if name == "now":
            return self.now.strftime(argument or "%Y-%m-%d %H:%M:%S")
        if name == "uptime":
            return uptime_text(int((self.now - self.booted).total_seconds()), argument or "%T")
        if name == "hex":
            return "".join(rng.choice("0123456789abcdef") for _ in range(int(argument or 8)))
        if name == "b64":
            return "".join(rng.choice(_B64) for _ in range(int(argument or 16)))
        if name == "int":
            low, _, high = (argument or "0-65535").partition("-")
            return str(rng.randint(int(low), int(high)))
        if name == "line":
            return self.line
        if name == "caret":
            return " " * self.column + "^"
        raise ValueError(f"unknown template token {name!r}")


def render(template: str, context: Context) -> str:
    """``template`` with every ``{{token}}`` filled from ``context``."""
    return TOKEN.sub(lambda m: context.value(m.group(1), m.group(2)), template)
