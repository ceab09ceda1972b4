"""Junos CLI: operational mode (``user@host>``) and configuration mode (``[edit]`` + ``user@host#``)."""

from __future__ import annotations

import re

from netraven.simulator.configs import junos
from netraven.simulator.platforms.cisco import abbreviates
from netraven.simulator.platforms.interfaces import interfaces_terse
from netraven.simulator.platforms.texts import VERSIONS, junos_system_uptime
from netraven.simulator.shell import Channel, Shell
from netraven.simulator.spec import DeviceSpec
from netraven.simulator.state import JunosState

_PIPE = re.compile(r"\s+\|\s+")
_OPERATIONAL_WORDS = ("show", "set", "request", "clear", "ping", "traceroute", "monitor", "file", "help")


def _pipes(lines: list[str], pipes: list[str]) -> list[str]:
    for pipe in pipes:
        verb, _, pattern = pipe.strip().partition(" ")
        if "match".startswith(verb) and pattern:
            lines = [line for line in lines if re.search(pattern, line)]
        elif "except".startswith(verb) and pattern:
            lines = [line for line in lines if not re.search(pattern, line)]
    return lines


class JunosShell(Shell):
    """A Junos CLI session in shared ``configure`` mode: the candidate outlives the session until
    committed or rolled back, as on a real device (netmiko's ``send_config_set`` then ``commit``)."""

    more = "---(more)---"

    def __init__(self, channel: Channel, spec: DeviceSpec, user: str, state: JunosState) -> None:
        super().__init__(channel, spec, user)
        self.state = state
        self.config = False

    def greeting(self) -> str:
        return "--- JUNOS 21.4R3.15 Kernel 64-bit  JNPR-12.1-20220309.4f06b5e_buil\r\n"

    def prompt(self) -> str:
        if self.config:
            return f"\r\n[edit]\r\n{self.user}@{self.state.hostname}# "
        return f"{self.user}@{self.state.hostname}> "

    def error(self, line: str, word: int, message: str) -> list[str]:
        column = len(self.prompt().split("\n")[-1]) + sum(len(w) + 1 for w in line.split()[:word])
        return [" " * column + "^", message]

    async def execute(self, line: str) -> None:
        if not line:
            return
        if self.config:
            await self._configure(line)
        else:
            await self._operational(line)

    async def _operational(self, line: str) -> None:
        command, *pipes = _PIPE.split(line)
        words = command.split()
        if words[:3] == ["set", "cli", "screen-width"] and len(words) == 4:
            await self.send([f"Screen width set to {words[3]}"])
        elif words[:3] == ["set", "cli", "screen-length"] and len(words) == 4:
            self.paging = words[3] != "0"
            await self.send([f"Screen length set to {words[3]}"])
        elif words == ["set", "cli", "complete-on-space", "off"]:
            await self.send(["Disabling complete-on-space"])
        elif abbreviates(words, "show configuration"):
            display_set = any(p.split()[:2] == ["display", "set"] for p in pipes)
            await self.send(_pipes(self.state.show(display_set), pipes))
        elif abbreviates(words, "show version"):
            await self.send(_pipes(VERSIONS["juniper_junos"](self.state.hostname), pipes))
        elif abbreviates(words, "show interfaces terse"):
            await self.send(_pipes(interfaces_terse(self.state.tree), pipes))
        elif abbreviates(words, "show system uptime"):
            await self.send(_pipes(junos_system_uptime(self.state.hostname), pipes))
        elif words[0] == "configure" and len(words) <= 2:
            self.config = True
            await self.send(["Entering configuration mode"])
        elif words[0] in ("exit", "quit", "logout"):
            self.closed = True
            self.channel.close()
        elif any(w.startswith(words[0]) for w in _OPERATIONAL_WORDS):
            await self.send(self.error(line, 1, "syntax error, expected <command>."))
        else:
            await self.send(self.error(line, 0, "unknown command."))

    async def _configure(self, line: str) -> None:
        words = line.split()
        verb, rest = words[0], line.partition(" ")[2].strip()
        if verb == "set" and rest:
            junos.set_statement(self.state.candidate, rest)
        elif verb == "delete" and rest:
            if not junos.delete_statement(self.state.candidate, rest):
                await self.send(["warning: statement not found"])
        elif verb == "show":
            display_set = "display set" in line
            await self.send(self.state.show(display_set, candidate=True)[1:])
        elif verb == "commit":
            if words[1:2] == ["check"]:
                await self.send(["configuration check succeeds"])
                return
            self.state.commit(self.user)
            await self.send(["commit complete"])
            if words[-1] == "and-quit":
                await self.send(["Exiting configuration mode"])
                self.config = False
        elif verb == "rollback":
            self.state.rollback()
            await self.send(["load complete"])
        elif verb == "run" and rest:
            await self._operational(rest)
        elif verb in ("exit", "quit") and rest in ("", "configuration-mode"):
            await self._exit()
        else:
            await self.send(self.error(line, 0, "unknown command."))

    async def _exit(self) -> None:
        if self.state.dirty:
            self.write(
                "The configuration has been changed but not committed\r\n"
                "Exit with uncommitted changes? [yes,no] (yes) "
            )
            answer = await self.read_line()
            self.write((answer or "") + "\r\n")
            if answer is None or answer.strip().lower() in ("no", "n"):
                return
        await self.send(["Exiting configuration mode"])
        self.config = False
