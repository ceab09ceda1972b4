"""The listeners: one asyncssh options object and server factory for every SSH device of a fleet,
an asyncio stream server for each telnet device (see :mod:`netraven.simulator.telnet`).

Each device is a listener on its own loopback address (or port); a connection finds its device by
the local address it arrived on. Its profile picks the shell: a stateful engine (IOS-like, Junos)
or :class:`~netraven.simulator.platforms.generic.ProfileShell`. The host key lives in the state
directory, generated once, so clients see the same key every run. asyncssh already sets TCP_NODELAY
on every accepted socket (``SSHConnection.connection_made``), which spares paramiko's ~85 ms
Nagle/delayed-ACK stall.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncssh

from netraven.exceptions import ConfigError
from netraven.simulator import profile
from netraven.simulator.configs import junos
from netraven.simulator.platforms.cisco import CiscoShell
from netraven.simulator.platforms.generic import ProfileShell
from netraven.simulator.platforms.junos import JunosShell
from netraven.simulator.render import Clock, Context, render
from netraven.simulator.shell import Channel, Shell
from netraven.simulator.spec import DeviceSpec, FleetSpec
from netraven.simulator.state import CiscoState, DeviceState, new_state
from netraven.simulator.telnet import LOGIN_TRIES, OFFER, TelnetChannel

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


class _SSHChannel:
    """A :class:`~netraven.simulator.shell.Channel` over one SSH session."""

    def __init__(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        self.process = process

    async def read(self) -> bytes:
        while True:
            try:
                return await self.process.stdin.read(4096)
            except asyncssh.TerminalSizeChanged:
                continue

    def write(self, data: bytes) -> None:
        self.process.stdout.write(data)

    async def drain(self) -> None:
        await self.process.stdout.drain()

    def close(self) -> None:
        self.process.exit(0)

    def abort(self) -> None:
        self.process.channel.get_connection().abort()


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
        if self.device is None:
            return False
        username = profile.load(self.device.platform).login_name(username)
        return self.fleet.spec.accepts(self.device, username, password)


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
        self._clocks: dict[str, Clock] = {}
        self._servers: list[asyncio.AbstractServer] = []
        self._by_name = {d.hostname: d for d in spec.devices}
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.telnet_connections: set[asyncio.StreamWriter] = set()

    def device_at(self, sockname: tuple[Any, ...]) -> DeviceSpec | None:
        return self.spec.by_address.get((sockname[0], sockname[1]))

    def state(self, hostname: str) -> DeviceState:
        """The configuration state of a stateful engine's device, created on first use."""
        if hostname not in self._states:
            self._states[hostname] = new_state(self._by_name[hostname])
        return self._states[hostname]

    def clock(self, hostname: str) -> Clock:
        """The clock of a device served from its profile, created on first use."""
        return self._clocks.setdefault(hostname, Clock())

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
                if device.fails("refuse"):
                    continue
                if device.transport == "telnet":
                    server = await asyncio.start_server(
                        self._telnet_handler(device), device.host, device.port, backlog=64
                    )
                else:
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
        for writer in list(self.telnet_connections):
            writer.transport.abort()
        self.telnet_connections.clear()

    def shell(self, channel: Channel, device: DeviceSpec, user: str) -> Shell:
        """A new CLI session on ``device`` for ``user``, as its profile's engine serves it."""
        engine = profile.load(device.platform).engine
        if engine == "generic":
            return ProfileShell(
                channel,
                device,
                user,
                profile.load(device.platform),
                self.clock(device.hostname),
                self.spec.secret,
            )
        state = self.state(device.hostname)
        if isinstance(state, CiscoState):
            return CiscoShell(channel, device, user, state, self.spec.secret)
        return JunosShell(channel, device, user, state)

    async def _session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        device = self.device_at(process.get_extra_info("sockname"))
        assert device is not None
        own = profile.load(device.platform)
        shell = self.shell(_SSHChannel(process), device, own.login_name(process.get_extra_info("username")))
        if own.inband_login and not await self.login(shell, device):
            shell.channel.close()
            return
        await shell.run()

    def _telnet_handler(self, device: DeviceSpec) -> Any:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.telnet_connections.add(writer)
            try:
                await self._telnet(device, TelnetChannel(reader, writer))
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                self.telnet_connections.discard(writer)
                writer.close()

        return handle

    async def _telnet(self, device: DeviceSpec, channel: TelnetChannel) -> None:
        """Offer the telnet options, ask for a login, then serve the shell."""
        if device.fails("slow_banner"):
            await asyncio.sleep(device.failure.value or 0)  # type: ignore[union-attr]
        channel.write(OFFER)
        shell = self.shell(channel, device, "")
        if await self.login(shell, device):
            await shell.run()

    async def login(self, shell: Shell, device: DeviceSpec) -> bool:
        """Ask for a username and password in the session (three tries), as telnet and some SSH
        servers (a Cisco WLC's) do; on success the shell's user is the one who logged in."""
        own = profile.load(device.platform)
        for _ in range(LOGIN_TRIES):
            shell.write(own.login[0])
            user = await shell.read_line()
            shell.write(f"{user or ''}\r\n")
            shell.write(own.login[1])
            password = await shell.read_line()
            shell.write("\r\n")
            if user is None or password is None:
                return False
            if self.spec.accepts(device, own.login_name(user.strip()), password):
                shell.user = user.strip()
                return True
            shell.write(own.login_failed + "\r\n\r\n")
        await shell.channel.drain()
        return False

    def configure(self, hostname: str, lines: list[str], user: str = "simulator") -> None:
        """Apply configuration lines to a device as if typed in config mode (Junos: ``set``/
        ``delete`` lines, committed at the end); a profile-only platform's config is fixed."""
        own = profile.load(self._by_name[hostname].platform)
        if own.engine == "generic":
            raise ConfigError(f"{hostname}: the {own.name} profile's configuration is fixed")
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
        """What ``show running-config`` (Junos: ``show configuration``; a profile: its config
        commands, joined by a blank line) prints now."""
        own = profile.load(self._by_name[hostname].platform)
        if own.engine == "generic":
            clock = self.clock(hostname)
            context = Context(hostname, "simulator", clock.tick(), clock.booted)
            return "\n\n".join(render(own.outputs[c], context) for c in own.config)
        state = self.state(hostname)
        lines = state.running_config() if isinstance(state, CiscoState) else state.show(False)
        return "\n".join(lines)
