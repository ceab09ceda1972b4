"""The SSH side: one asyncssh options object and server factory for every listener of a fleet.

Each device is a listener on its own loopback address (or port); a connection finds its device by
the local address it arrived on. The host key lives in the state directory, generated once, so
clients see the same key every run. asyncssh already sets TCP_NODELAY on every accepted socket
(``SSHConnection.connection_made``), which spares paramiko's ~85 ms Nagle/delayed-ACK stall.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncssh

from netraven.simulator.configs import junos
from netraven.simulator.platforms.cisco import CiscoShell
from netraven.simulator.platforms.junos import JunosShell
from netraven.simulator.shell import Shell
from netraven.simulator.spec import DeviceSpec, FleetSpec
from netraven.simulator.state import CiscoState, DeviceState, new_state

HOST_KEY_NAME = "ssh_host_ed25519_key"


def load_host_key(state_dir: Path) -> asyncssh.SSHKey:
    """The fleet's persistent host key, generated into ``state_dir`` on first use."""
    path = state_dir / HOST_KEY_NAME
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        tmp = path.with_suffix(".tmp")
        key.write_private_key(tmp)
        tmp.chmod(0o600)
        tmp.replace(path)
    return asyncssh.read_private_key(path)


class _DeviceServer(asyncssh.SSHServer):
    """Password authentication against the fleet's lab credentials, per the device's failure."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet
        self.device: DeviceSpec | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.device = self.fleet.device_at(conn.get_extra_info("sockname"))
        self.fleet.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self.fleet.connections.discard(self.conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self.device is not None and self.fleet.spec.accepts(self.device, username, password)


class _SlowBannerConnection(asyncssh.SSHServerConnection):
    """Holds the SSH version banner (and all reading) back for ``delay`` seconds."""

    delay = 0.0
    _started = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.pause_reading()
        asyncio.get_running_loop().call_later(self.delay, self._begin, transport)

    def _begin(self, transport: asyncio.Transport) -> None:
        if transport.is_closing():
            return
        self._started = True
        super().connection_made(transport)
        transport.resume_reading()

    def connection_lost(self, exc: Exception | None = None) -> None:
        if self._started:
            super().connection_lost(exc)


class Fleet:
    """Serves a :class:`FleetSpec` over SSH from the running event loop; states live in memory."""

    def __init__(self, spec: FleetSpec, state_dir: Path) -> None:
        self.spec = spec
        self.state_dir = Path(state_dir)
        self._states: dict[str, DeviceState] = {}
        self._servers: list[asyncio.AbstractServer] = []
        self._by_name = {d.hostname: d for d in spec.devices}
        self.connections: set[asyncssh.SSHServerConnection] = set()

    def device_at(self, sockname: tuple[Any, ...]) -> DeviceSpec | None:
        return self.spec.by_address.get((sockname[0], sockname[1]))

    def state(self, hostname: str) -> DeviceState:
        """The device's configuration state, created on first use."""
        if hostname not in self._states:
            self._states[hostname] = new_state(self._by_name[hostname])
        return self._states[hostname]

    async def start(self) -> None:
        """Listen for every device except those whose failure is ``refuse``."""
        loop = asyncio.get_running_loop()
        options = asyncssh.SSHServerConnectionOptions(
            server_host_keys=[load_host_key(self.state_dir)],
            server_factory=lambda: _DeviceServer(self),
            process_factory=self._session,
            line_editor=False,
            encoding=None,
            login_timeout=60,
        )

        def factory(device: DeviceSpec) -> Any:
            if device.fails("slow_banner"):
                delay = device.failure.value or 0  # type: ignore[union-attr]

                def slow() -> asyncssh.SSHServerConnection:
                    conn = _SlowBannerConnection(loop, options)
                    conn.delay = delay
                    return conn

                return slow
            return lambda: asyncssh.SSHServerConnection(loop, options)

        try:
            for device in self.spec.devices:
                if not device.fails("refuse"):
                    server = await loop.create_server(factory(device), device.host, device.port, backlog=64)
                    self._servers.append(server)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """Close every listener, then every open SSH connection."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.close()
        await asyncio.gather(*(s.wait_closed() for s in servers), return_exceptions=True)
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()

    async def _session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        device = self.device_at(process.get_extra_info("sockname"))
        assert device is not None
        user = process.get_extra_info("username")
        state = self.state(device.hostname)
        shell: Shell
        if isinstance(state, CiscoState):
            shell = CiscoShell(process, device, user, state, self.spec.secret)
        else:
            shell = JunosShell(process, device, user, state)
        await shell.run()

    def configure(self, hostname: str, lines: list[str], user: str = "simulator") -> None:
        """Apply configuration lines to a device as if typed in config mode (Junos: ``set``/
        ``delete`` lines, committed at the end)."""
        state = self.state(hostname)
        if isinstance(state, CiscoState):
            block: list[str] | None = None
            for line in filter(None, (raw.strip() for raw in lines)):
                if line in ("exit", "end"):
                    block = None
                elif state.is_section(line):
                    block = state.section(line, user)
                else:
                    state.apply(line, user, block)
            return
        for line in filter(None, (raw.strip() for raw in lines)):
            verb, _, rest = line.partition(" ")
            if verb == "set":
                junos.set_statement(state.candidate, rest)
            elif verb == "delete":
                junos.delete_statement(state.candidate, rest)
        state.commit(user)

    def running_config(self, hostname: str) -> str:
        """What ``show running-config`` (Junos: ``show configuration``) prints now."""
        state = self.state(hostname)
        lines = state.running_config() if isinstance(state, CiscoState) else state.show(False)
        return "\n".join(lines)
