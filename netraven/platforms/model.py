"""The frozen records of the registry: a :class:`Platform` and the :class:`Facts` it can report."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Between the outputs of a platform's commands when it has several.
OUTPUT_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Facts:
    """How to read a device's facts: one ``command``, parsed by ntc-templates' TextFSM template for
    ``textfsm_platform`` where it has one, else by the regexes, each capturing the value in group ``v``."""

    command: str
    textfsm_platform: str | None = None
    os_version: re.Pattern[str] | None = None
    model: re.Pattern[str] | None = None
    serial: re.Pattern[str] | None = None
    uptime: re.Pattern[str] | None = None

    def parse(self, output: str) -> dict[str, str]:
        """The facts the regexes find in ``output`` (``os_version``, ``model``, ``serial``, ``uptime``)."""
        found: dict[str, str] = {}
        for name in ("os_version", "model", "serial", "uptime"):
            pattern: re.Pattern[str] | None = getattr(self, name)
            match = pattern.search(output) if pattern is not None else None
            if match and match.group("v") and match.group("v").strip():
                found[name] = match.group("v").strip()
        return found


@dataclass(frozen=True, slots=True)
class Platform:
    """What NetRaven knows about one netmiko device type.

    ``commands`` print the whole configuration, run in this order, their outputs joined with a blank
    line (:meth:`join`); ``enable``: privileged mode first; ``setup_commands``: sent once before them
    (paging, width) where netmiko's driver does not; ``error_markers`` finds a line by which the
    device says a command failed (its own texts and the generic ones); ``config_markers`` finds a
    line every configuration of the platform has (``config_what`` names it); ``volatile`` match the
    lines that change without the configuration changing; ``secrets`` find secrets, each in its group
    ``s``; ``telnet`` is netmiko's telnet device type for it, if any.
    """

    name: str
    description: str
    commands: tuple[str, ...]
    enable: bool
    setup_commands: tuple[str, ...]
    error_markers: re.Pattern[str]
    config_markers: re.Pattern[str] | None
    config_what: str
    volatile: tuple[re.Pattern[str], ...]
    secrets: tuple[re.Pattern[str], ...]
    facts: Facts | None
    telnet: str | None
    aliases: tuple[str, ...] = ()
    notes: str = ""

    @property
    def command(self) -> str:
        """The commands as one line (for messages and records): ``show running-config; show x``."""
        return "; ".join(self.commands)

    def join(self, outputs: list[str] | tuple[str, ...]) -> str:
        """The outputs of :attr:`commands`, in order, as one text."""
        return join_outputs(outputs)

    def error_line(self, text: str) -> str | None:
        """The first line of ``text`` by which the device says the command failed, if any."""
        return matched_line(self.error_markers, text)


def join_outputs(outputs: list[str] | tuple[str, ...]) -> str:
    """Several commands' outputs as one text, a blank line between them (one output: as it is)."""
    if len(outputs) == 1:
        return outputs[0]
    return OUTPUT_SEPARATOR.join(output.strip("\n") for output in outputs)


def matched_line(pattern: re.Pattern[str], text: str) -> str | None:
    """The (stripped) line of ``text`` where ``pattern`` first matches, if it does."""
    match = pattern.search(text)
    if match is None:
        return None
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start : end if end >= 0 else len(text)].strip()
