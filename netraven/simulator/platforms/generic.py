"""A device served from its profile alone: modes, prompts, paging and canned outputs, no code."""

from __future__ import annotations

from netraven.simulator.profile import Command, Profile
from netraven.simulator.render import Clock, Context, render
from netraven.simulator.shell import Channel, Shell
from netraven.simulator.spec import DeviceSpec


class ProfileShell(Shell):
    """One session on a device whose whole behaviour is its :class:`Profile`."""

    def __init__(
        self, channel: Channel, spec: DeviceSpec, user: str, profile: Profile, clock: Clock, secret: str
    ) -> None:
        super().__init__(channel, spec, user)
        self.profile = profile
        self.clock = clock
        self.secret = secret
        self.mode = profile.start
        self.paging = profile.paging
        self.more = profile.more
        self.page_length = profile.page_length
        self.count = 1  # ``{{count}}`` in a prompt: EXOS numbers its prompts

    def context(self, line: str = "") -> Context:
        prompt = self.prompt().rsplit("\n", 1)[-1]
        return Context(self.spec.hostname, self.user, self.clock.tick(), self.clock.booted, line, len(prompt))

    def fill(self, template: str, line: str = "") -> list[str]:
        """``template`` rendered, as the lines :meth:`send` writes (none for an empty template)."""
        return render(template, self.context(line)).split("\n") if template else []

    def greeting(self) -> str:
        banner = self.fill(self.profile.banner)
        return "\r\n".join(banner) + "\r\n" if banner else ""

    def prompt(self) -> str:
        return (
            self.profile.modes[self.mode]
            .replace("{{hostname}}", self.spec.hostname)
            .replace("{{user}}", self.user)
            .replace("\n", "\r\n")
        )

    def echo(self, line: str) -> str:
        if self.profile.redraw_echo:  # the line is repainted after its prompt, as PAN-OS does
            return "\r" + self.prompt().rsplit("\n", 1)[-1] + line + "\r\n"
        return line + "\r\n"

    async def execute(self, line: str) -> None:
        if not line:
            return
        command = self.profile.command_for(line, self.mode)
        if command is not None:
            await self.run_command(command, line)
            return
        output = self.profile.output_for(line, self.mode)
        if output is None:
            output = self.profile.error
        await self.send(self.fill(output, line))

    async def run_command(self, command: Command, line: str) -> None:
        if command.enable and not await self.enable():
            return
        if command.paging is not None:
            self.paging = command.paging
        await self.send(self.fill(command.output, line))
        if command.goto is not None:
            self.mode = command.goto
        if command.close:
            self.closed = True
            self.channel.close()

    async def enable(self) -> bool:
        """Ask for the enable secret; print the profile's refusal when it is wrong."""
        self.write(self.profile.enable_prompt.replace("{{user}}", self.user))
        answer = await self.read_line()
        self.write("\r\n")
        if answer is None:
            self.closed = True
            return False
        if answer != self.secret or self.spec.fails("bad_enable"):
            await self.send(self.fill(self.profile.enable_failed))
            return False
        return True
