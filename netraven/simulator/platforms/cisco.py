"""IOS, NX-OS and EOS command lines: exec/enable/config modes, the commands netmiko uses, errors."""

from __future__ import annotations

import re

from netraven.simulator.platforms.interfaces import ip_interface_brief
from netraven.simulator.platforms.texts import VERSIONS
from netraven.simulator.shell import Channel, Shell
from netraven.simulator.spec import DeviceSpec
from netraven.simulator.state import CiscoState

_PIPE = re.compile(r"\s+\|\s+")
_SUBMODES = {
    "interface": "if",
    "router": "router",
    "line": "line",
    "vlan": "vlan",
    "ip": "ext-nacl",
    "key": "keychain",
    "route-map": "route-map",
    "vrf": "vrf",
}
_CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z."


def abbreviates(words: list[str], command: str) -> bool:
    """Whether ``words`` spell ``command`` word by word with IOS-style abbreviations (``sh run``)."""
    full = command.split()
    return len(words) == len(full) and all(f.startswith(w) for w, f in zip(words, full, strict=True))


def filter_output(lines: list[str], pipes: list[str]) -> list[str]:
    """Apply ``| include``/``| exclude``/``| begin``/``| section`` filters."""
    for pipe in pipes:
        verb, _, pattern = pipe.strip().partition(" ")
        regex = re.compile(pattern.strip())
        if "include".startswith(verb):
            lines = [line for line in lines if regex.search(line)]
        elif "exclude".startswith(verb):
            lines = [line for line in lines if not regex.search(line)]
        elif "begin".startswith(verb):
            start = next((n for n, line in enumerate(lines) if regex.search(line)), len(lines))
            lines = lines[start:]
        elif "section".startswith(verb):
            keep, inside = [], False
            for line in lines:
                inside = bool(regex.search(line)) if not line.startswith(" ") else inside
                if inside:
                    keep.append(line)
            lines = keep
    return lines


class CiscoShell(Shell):
    """An IOS-like CLI; the platform in ``spec`` picks prompts, replies and error texts."""

    def __init__(
        self,
        channel: Channel,
        spec: DeviceSpec,
        user: str,
        state: CiscoState,
        secret: str,
    ) -> None:
        super().__init__(channel, spec, user)
        self.state = state
        self.secret = secret
        self.platform = spec.platform
        self.privileged = self.platform == "cisco_nxos"
        self.config = False
        self.block: list[str] | None = None

    def greeting(self) -> str:
        if self.platform == "cisco_nxos":
            return "Cisco NX-OS Software\r\nCopyright (c) 2002-2022, Cisco Systems, Inc.\r\n"
        return f"\r\nAuthorized access only - {self.state.hostname} is monitored.\r\n\r\n"

    def prompt(self) -> str:
        space = " " if self.platform == "cisco_nxos" else ""
        if not self.config:
            return f"{self.state.hostname}{'#' if self.privileged else '>'}{space}"
        mode = "config"
        if self.block is not None:
            word = self.block[0].split()[0]
            mode = f"config-{_SUBMODES.get(word, word)}"
        return f"{self.state.hostname}({mode})#{space}"

    async def execute(self, line: str) -> None:
        if not line:
            return
        if self.config:
            await self._configure(line)
        else:
            await self._exec(line)

    def invalid(self, line: str, word: int = 0) -> list[str]:
        """The platform's error for input it does not understand, caret under word ``word``."""
        if self.platform == "arista_eos":
            return ["% Invalid input"]
        column = len(self.prompt()) + sum(len(w) + 1 for w in line.split()[:word])
        if self.platform == "cisco_nxos":
            return [" " * column + "^", "% Invalid command at '^' marker.", ""]
        return [" " * column + "^", "% Invalid input detected at '^' marker.", ""]

    async def _exec(self, line: str) -> None:
        command, *pipes = _PIPE.split(line)
        words = command.split()
        if not words:
            await self.send(self.invalid(line))
        elif abbreviates(words, "enable"):
            if not self.privileged:
                await self._enable()
        elif abbreviates(words[:2], "terminal length") and len(words) == 3:
            self.paging = words[2] != "0"
            if self.platform == "arista_eos":
                await self.send(
                    ["Pagination disabled." if not self.paging else f"Pagination set to {words[2]} lines."]
                )
        elif abbreviates(words[:2], "terminal width") and len(words) == 3:
            if self.platform == "arista_eos":
                await self.send([f"Width set to {words[2]} columns."])
        elif abbreviates(words, "show version"):
            await self.send(filter_output(VERSIONS[self.platform](self.state.hostname), pipes))
        elif abbreviates(words, "show ip interface brief"):
            await self.send(filter_output(ip_interface_brief(self.platform, self.state.blocks), pipes))
        elif words[0] in ("exit", "logout", "quit"):
            self.closed = True
            self.channel.close()
        elif not self.privileged:
            await self.send(self.invalid(line, 1 if abbreviates(words[:1], "show") else 0))
        elif abbreviates(words, "disable") and self.platform != "cisco_nxos":
            self.privileged = False
        elif abbreviates(words, "show running-config"):
            await self.send(filter_output(self.state.running_config(), pipes))
        elif abbreviates(words, "show startup-config"):
            await self.send(filter_output(self.state.startup_config(), pipes))
        elif abbreviates(words, "configure terminal") or (
            words == ["configure"] and self.platform != "cisco_ios"
        ):
            self.config = True
            if self.platform != "arista_eos":
                await self.send([_CONFIG_BANNER])
        elif abbreviates(words, "write memory") or abbreviates(words, "write"):
            await self._save()
        elif abbreviates(words, "copy running-config startup-config"):
            if self.platform == "cisco_ios":
                self.write("Destination filename [startup-config]? ")
                if await self.read_line() is None:
                    return
                self.write("\r\n")
            await self._save()
        else:
            await self.send(self.invalid(line, 0 if not abbreviates(words[:1], "show") else 1))

    async def _enable(self) -> None:
        self.write("Password: ")
        attempt = await self.read_line()
        self.write("\r\n")
        if attempt == self.secret and not self.spec.fails("bad_enable"):
            self.privileged = True
        else:
            await self.send(["% Access denied" if self.platform == "cisco_ios" else "% Bad secrets"])

    async def _save(self) -> None:
        self.state.save()
        if self.platform == "cisco_nxos":
            await self.send(
                [
                    "[########################################] 100%",
                    "Copy complete, now saving to disk (please wait)...",
                    "Copy complete.",
                ]
            )
        elif self.platform == "arista_eos":
            await self.send(["Copy completed successfully."])
        else:
            await self.send(["Building configuration...", "[OK]"])

    async def _configure(self, line: str) -> None:
        words = line.split()
        if words == ["end"] or line == "\x1a":
            self.config, self.block = False, None
        elif words == ["exit"]:
            if self.block is None:
                self.config = False
            self.block = None
        elif words[0] == "do" and len(words) > 1:
            await self._exec(line[2:].strip())
        elif words[0] in ("show", "sh") and self.platform == "cisco_ios":
            await self.send(self.invalid(line))
        elif self.state.is_section(line):
            self.block = self.state.section(line, self.user)
        else:
            self.state.apply(line, self.user, self.block)
