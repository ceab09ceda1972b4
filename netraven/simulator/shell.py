"""The interactive CLI session every platform shares: line input, echo, paging and output failures.

asyncssh's line editor is off (it would echo twice), so the shell echoes each complete input line
itself followed by ``\\r\\n``, the way netmiko's command-echo checks expect. The shell reads and
writes through a :class:`Channel`, an SSH session's or a telnet connection's.
"""

from __future__ import annotations

import asyncio
import random
import re
from abc import ABC, abstractmethod
from typing import Protocol

import asyncssh

from netraven.simulator.spec import DeviceSpec

_EOL = re.compile(r"\r\n|\r|\n")
#: outputs at least this long are the ones the *_mid_output and garbled failures damage
LONG_OUTPUT = 40
_JUNK = "~`^*(){}[]|;,.?\\"


class Channel(Protocol):
    """Both ends of one session, whatever carries it (SSH or telnet)."""

    async def read(self) -> bytes:
        """The next bytes typed; ``b""`` at end of input."""

    def write(self, data: bytes) -> None:
        """Send ``data`` to the client."""

    async def drain(self) -> None:
        """Wait until what was written has left."""

    def close(self) -> None:
        """End the session as the device would (``exit``)."""

    def abort(self) -> None:
        """Drop the connection at once."""


class Shell(ABC):
    """One interactive session on one simulated device; subclasses implement the commands."""

    more = " --More-- "
    page_length = 24

    def __init__(self, channel: Channel, spec: DeviceSpec, user: str) -> None:
        self.channel = channel
        self.spec = spec
        self.user = user
        self.paging = True
        self.closed = False
        self._buffer = ""
        self._skip_lf = False

    @abstractmethod
    def greeting(self) -> str:
        """Text sent after login, before the first prompt."""

    @abstractmethod
    def prompt(self) -> str:
        """The prompt for the current mode."""

    def echo(self, line: str) -> str:
        """What the device writes back for a typed line."""
        return line + "\r\n"

    @abstractmethod
    async def execute(self, line: str) -> None:
        """Run one command line (already echoed and stripped); the prompt follows."""

    async def run(self) -> None:
        """Serve the session until the client leaves or a command closes it."""
        try:
            if self.spec.fails("hang_after_login"):
                await self.hang()
                return
            self.write(self.greeting() + self.prompt())
            while not self.closed:
                line = await self.read_line()
                if line is None:
                    break
                self.write(self.echo(line))
                line = line.strip()
                if line and self.spec.fails("slow"):
                    await asyncio.sleep(self.spec.failure.value or 0)  # type: ignore[union-attr]
                await self.execute(line)
                if not self.closed:
                    self.write(self.prompt())
        except (BrokenPipeError, ConnectionError, asyncssh.Error):
            pass
        finally:
            self.channel.close()

    # -- input ---------------------------------------------------------------------------------
    async def _fill(self) -> bool:
        data = await self.channel.read()
        if not data:
            return False
        self._buffer += data.decode("utf-8", "replace")
        return True

    async def read_line(self) -> str | None:
        """The next input line without its terminator; ``None`` at end of input."""
        while True:
            if self._skip_lf and self._buffer:
                self._buffer = self._buffer.removeprefix("\n")
                self._skip_lf = False
            match = _EOL.search(self._buffer)
            if match:
                line, self._buffer = self._buffer[: match.start()], self._buffer[match.end() :]
                self._skip_lf = match.group() == "\r"
                return line
            if not await self._fill():
                return None

    async def read_key(self) -> str | None:
        """One keystroke (``--More--`` answers); ``None`` at end of input."""
        while True:
            while not self._buffer:
                if not await self._fill():
                    return None
            key, self._buffer = self._buffer[0], self._buffer[1:]
            if not (key == "\n" and self._skip_lf):
                self._skip_lf = key == "\r"
                return key
            self._skip_lf = False

    async def hang(self) -> None:
        """Say nothing more; swallow input until the client gives up."""
        while await self._fill():
            self._buffer = ""
        self.closed = True

    # -- output --------------------------------------------------------------------------------
    def write(self, data: str | bytes) -> None:
        self.channel.write(data.encode() if isinstance(data, str) else data)

    async def send(self, lines: list[str]) -> None:
        """Write command output, paged with ``--More--`` unless paging is off, honouring failures."""
        if len(lines) >= LONG_OUTPUT and self.spec.failure is not None:
            name = self.spec.failure.name
            if name in ("hang_mid_output", "drop_mid_output"):
                self.write("\r\n".join(lines[: len(lines) // 2]))
                if name == "hang_mid_output":
                    await self.hang()
                else:
                    await self.channel.drain()
                    self.channel.abort()
                    self.closed = True
                return
            if name == "garbled":
                self.write(garble(lines))
                return
        page = self.page_length - 1
        position = 0
        while True:
            chunk = lines[position : position + page] if self.paging else lines[position:]
            position += len(chunk)
            if chunk:
                self.write("\r\n".join(chunk) + "\r\n")
            if position >= len(lines):
                return
            self.write(self.more)
            key = await self.read_key()
            self.write("\b" * len(self.more) + " " * len(self.more) + "\b" * len(self.more))
            if key is None or key in "qQ":
                return
            page = 1 if key in "\r\n" else self.page_length - 1


def garble(lines: list[str]) -> bytes:
    """Lines with random junk bytes, invalid UTF-8 and truncations, as a noisy line would give."""
    rng = random.Random()
    out = bytearray()
    for line in lines:
        data = line.encode()
        if rng.random() < 0.15:
            data = data[: rng.randrange(len(data) + 1)]
        if rng.random() < 0.15:
            cut = rng.randrange(len(data) + 1)
            junk = bytes([rng.choice((0xFF, 0xFE, 0x81, 0x07, 0x1B))]) + rng.choice(_JUNK).encode() * 3
            data = data[:cut] + junk + data[cut:]
        out += data + b"\r\n"
    return bytes(out)
