"""The telnet side: plain asyncio streams, the few IAC bytes a telnet server must handle, a login.

No telnet library is needed: a device offers ``WILL ECHO`` and ``WILL SUPPRESS-GO-AHEAD`` (it echoes
what is typed, as a Cisco does), and drops every negotiation the client sends back. The login asks
for the username and password with the profile's prompts, echoing the name but not the password,
and hangs up after three failures as real devices do, so a client sees the refusal at once.
"""

from __future__ import annotations

import asyncio

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SUPPRESS_GO_AHEAD = 1, 3
OFFER = bytes([IAC, WILL, ECHO, IAC, WILL, SUPPRESS_GO_AHEAD])
LOGIN_TRIES = 3


class TelnetChannel:
    """A :class:`netraven.simulator.shell.Channel` over one telnet connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._state = "data"  # where the IAC parser stands between reads

    async def read(self) -> bytes:
        while True:
            try:
                data = await self.reader.read(4096)
            except ConnectionError:
                return b""
            if not data:
                return b""
            clean = self.strip(data)
            if clean:
                return clean

    def strip(self, data: bytes) -> bytes:
        """``data`` without telnet commands and negotiations, and without the NUL after a CR."""
        out = bytearray()
        for byte in data:
            state = self._state
            if state == "data":
                if byte == IAC:
                    self._state = "iac"
                elif byte:
                    out.append(byte)
            elif state == "iac":
                if byte == IAC:
                    out.append(IAC)
                    self._state = "data"
                elif byte in (WILL, WONT, DO, DONT):
                    self._state = "option"
                else:
                    self._state = "sb" if byte == SB else "data"
            elif state == "option":
                self._state = "data"
            elif state == "sb":
                self._state = "sb-iac" if byte == IAC else "sb"
            else:  # "sb-iac"
                self._state = "data" if byte == SE else "sb"
        return bytes(out)

    def write(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data.replace(bytes([IAC]), bytes([IAC, IAC])))

    async def drain(self) -> None:
        await self.writer.drain()

    def close(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        self.writer.transport.abort()
