"""The configuration a simulated device holds for the simulator's lifetime, and how it is shown.

Configs are generated lazily, on first use, so a fleet of thousands starts fast and small.
Volatile header lines (timestamps, ``ntp clock-period``) are rendered at each fetch, as real
devices do; "last change" times move only when the configuration really changes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import cached_property

from netraven.simulator.configs import cisco, junos
from netraven.simulator.spec import DeviceSpec

SECTIONS = (
    "interface ",
    "router ",
    "line ",
    "vlan ",
    "ip access-list ",
    "key chain ",
    "route-map ",
    "class-map ",
    "policy-map ",
    "vrf ",
)
#: top-level commands a device keeps once: a new value replaces the old line in place
SINGLE_VALUED = (
    "hostname ",
    "snmp-server location ",
    "snmp-server contact ",
    "ip domain name ",
    "ip domain-name ",
    "clock timezone ",
    "logging buffered ",
    "enable secret ",
)
BOOT = datetime.now(UTC).replace(microsecond=0)


def _ctime(when: datetime) -> str:
    return when.strftime("%a %b %e %H:%M:%S %Y")


class CiscoState:
    """Running and startup configuration of an IOS, NX-OS or EOS device."""

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.hostname = spec.hostname
        self.changed_at, self.changed_by = BOOT, "nr-admin"
        self.saved_at = BOOT
        self._startup: list[list[str]] | None = None

    @cached_property
    def blocks(self) -> list[list[str]]:
        return cisco.generate(self.spec.hostname, self.spec.platform, self.spec.config_seed)

    @property
    def indent(self) -> str:
        return cisco.DIALECTS[self.spec.platform].indent

    def _touch(self, user: str) -> None:
        self.changed_at, self.changed_by = datetime.now(UTC).replace(microsecond=0), user

    def is_section(self, line: str) -> bool:
        """Whether ``line`` opens a sub-mode (``interface X``, ``router ospf 1``...)."""
        return line.startswith(SECTIONS)

    def section(self, line: str, user: str) -> list[str]:
        """The block opened by ``line``, created (at the end) when it does not exist yet."""
        for block in self.blocks:
            if block[0] == line:
                return block
        block = [line]
        self.blocks.append(block)
        self._touch(user)
        return block

    def apply(self, line: str, user: str, block: list[str] | None = None) -> None:
        """Apply one configuration line at top level, or inside ``block`` (``no X`` removes X)."""
        if block is None:
            self._apply_top(line, user)
            return
        child = self.indent + line.removeprefix("no ")
        if line.startswith("no "):
            kept = [c for c in block[1:] if c != child and not c.startswith(child + " ")]
            if len(kept) != len(block) - 1:
                block[1:] = kept
                self._touch(user)
        elif child not in block:
            block.append(child)
            self._touch(user)

    def _apply_top(self, line: str, user: str) -> None:
        if line.startswith("no "):
            target = line[3:]
            kept = [b for b in self.blocks if b[0] != target and not b[0].startswith(target + " ")]
            if len(kept) != len(self.blocks):
                self.blocks[:] = kept
                self._touch(user)
            return
        if line.startswith("hostname "):
            self.hostname = line.split(maxsplit=1)[1]
        key = next((k for k in SINGLE_VALUED if line.startswith(k)), None)
        for block in self.blocks if key else ():
            if block[0].startswith(key):  # type: ignore[arg-type]
                if block[0] != line:
                    block[0] = line
                    self._touch(user)
                return
        if not any(b[0] == line for b in self.blocks):
            self.blocks.append([line])
            self._touch(user)

    def save(self) -> None:
        """``write memory``: the running config becomes the startup config."""
        self._startup = [list(b) for b in self.blocks]
        self.saved_at = datetime.now(UTC).replace(microsecond=0)

    def body(self, blocks: list[list[str]] | None = None) -> list[str]:
        """Config lines without volatile headers; ``!`` between sections like the devices do."""
        sep = "" if self.spec.platform == "cisco_nxos" else "!"
        lines: list[str] = []
        for block in self.blocks if blocks is None else blocks:
            lines += block
            if len(block) > 1:
                lines.append(sep)
        return lines

    def running_config(self) -> list[str]:
        """``show running-config`` as the platform prints it, volatile lines included."""
        now = datetime.now(UTC)
        body = self.body()
        platform = self.spec.platform
        if platform == "cisco_nxos":
            return [
                "",
                "!Command: show running-config",
                f"!Running configuration last done at: {_ctime(self.changed_at)}",
                f"!Time: {_ctime(now)}",
                "",
                *body,
            ]
        if platform == "arista_eos":
            return [
                "! Command: show running-config",
                f"! device: {self.hostname} (vEOS-lab, EOS-4.28.3M)",
                f"! Time: {_ctime(now)}",
                "!",
                "! boot system flash:/vEOS-lab.swi",
                "!",
                *body,
                "end",
            ]
        stamp = "%H:%M:%S UTC %a %b %-d %Y"
        body = [*body, f"ntp clock-period {random.randrange(17179000, 17180000)}", "end"]
        size = sum(len(line) + 1 for line in body)
        return [
            "Building configuration...",
            "",
            f"Current configuration : {size} bytes",
            "!",
            f"! Last configuration change at {self.changed_at.strftime(stamp)} by {self.changed_by}",
            f"! NVRAM config last updated at {self.saved_at.strftime(stamp)} by {self.changed_by}",
            "!",
            *body,
        ]

    def startup_config(self) -> list[str]:
        """``show startup-config``: what was saved last (the generated config until then)."""
        return self.body(self._startup)


class JunosState:
    """Committed configuration of a Junos device plus the shared candidate being edited."""

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.hostname = spec.hostname
        self.committed_at, self.committed_by = BOOT, "nr-admin"
        self._candidate: junos.Tree | None = None

    @cached_property
    def tree(self) -> junos.Tree:
        return junos.generate(self.spec.hostname, self.spec.config_seed)

    @property
    def candidate(self) -> junos.Tree:
        if self._candidate is None:
            self._candidate = junos.clone(self.tree)
        return self._candidate

    @property
    def dirty(self) -> bool:
        return self._candidate is not None and self._candidate != self.tree

    def commit(self, user: str) -> None:
        if self.dirty:
            assert self._candidate is not None
            self.tree = self._candidate
            self.committed_at, self.committed_by = datetime.now(UTC).replace(microsecond=0), user
        self._candidate = None

    def rollback(self) -> None:
        self._candidate = None

    def show(self, display_set: bool, candidate: bool = False) -> list[str]:
        """``show configuration`` (curly braces) or ``| display set``, with the commit headers."""
        tree = self.candidate if candidate else self.tree
        when = self.committed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        header = [
            f"## Last changed: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}",
            f"## Last commit: {when} by {self.committed_by}",
        ]
        return header + (junos.display_set(tree) if display_set else junos.display_curly(tree))


DeviceState = CiscoState | JunosState


def new_state(spec: DeviceSpec) -> DeviceState:
    """A fresh state for ``spec`` (nothing generated until first used)."""
    return JunosState(spec) if spec.platform == "juniper_junos" else CiscoState(spec)
