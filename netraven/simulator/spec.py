"""What a simulated fleet is made of: devices, lab credentials and failure modes.

Nothing here touches the network; :mod:`netraven.simulator.server` serves these descriptions.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from netraven.exceptions import ConfigError
from netraven.simulator import profile

#: the platforms with a stateful engine (config mode changes their configuration), the classic fleet
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")
#: every platform with a profile (``netraven/simulator/profiles/<platform>.yaml``)
ALL_PLATFORMS = profile.names()
TRANSPORTS = ("ssh", "telnet")
TELNET_SUFFIX = "_telnet"
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")

#: failure mode name -> whether it takes a value (``name=value``)
FAILURE_MODES: dict[str, bool] = {
    "auth_only": True,
    "bad_enable": False,
    "slow": True,
    "hang_after_login": False,
    "hang_mid_output": False,
    "drop_mid_output": False,
    "refuse": False,
    "slow_banner": True,
    "garbled": False,
}


@dataclass(frozen=True)
class Credential:
    """One lab login; every simulated device accepts these (unless ``auth_only`` says otherwise)."""

    username: str
    password: str


#: Obviously-lab credentials, distinctive so netmiko's session-log masking never hits real text.
DEFAULT_CREDENTIALS = (
    Credential("nr-admin", "Sim-Pass-1!"),
    Credential("nr-backup", "Sim-Pass-2!"),
    Credential("nr-ops", "Sim-Pass-3!"),
)
DEFAULT_SECRET = "Sim-Enable-1!"


@dataclass(frozen=True)
class Failure:
    """A failure mode (one of :data:`FAILURE_MODES`) with its optional value."""

    name: str
    value: float | None = None

    @classmethod
    def parse(cls, text: str) -> Failure:
        """Parse ``name`` or ``name=value`` (``slow=0.5``, ``auth_only=1``)."""
        name, _, raw = text.strip().partition("=")
        if name not in FAILURE_MODES:
            raise ConfigError(f"unknown failure mode {name!r}; known: {', '.join(FAILURE_MODES)}")
        if FAILURE_MODES[name] != bool(raw):
            need = "needs a value (name=value)" if FAILURE_MODES[name] else "takes no value"
            raise ConfigError(f"failure mode {name!r} {need}")
        try:
            return cls(name, float(raw) if raw else None)
        except ValueError as exc:
            raise ConfigError(f"failure mode {name!r}: {raw!r} is not a number") from exc

    def __str__(self) -> str:
        if self.value is None:
            return self.name
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.name}={value}"


@dataclass(frozen=True)
class DeviceSpec:
    """One simulated device: where it listens, what it is, how it misbehaves."""

    hostname: str
    platform: str
    host: str
    port: int
    failure: Failure | None = None
    seed: str = ""
    transport: str = "ssh"

    def __post_init__(self) -> None:
        if self.platform not in ALL_PLATFORMS:
            raise ConfigError(f"unknown platform {self.platform!r}; known: {', '.join(ALL_PLATFORMS)}")
        if self.transport not in TRANSPORTS:
            raise ConfigError(f"unknown transport {self.transport!r}; known: {', '.join(TRANSPORTS)}")
        require_loopback(self.host)

    @property
    def config_seed(self) -> str:
        """What seeds this device's generated config: the hostname, mixed with the fleet seed."""
        return f"{self.seed}:{self.hostname}" if self.seed else self.hostname

    def fails(self, name: str) -> bool:
        """Whether this device has failure mode ``name``."""
        return self.failure is not None and self.failure.name == name


@dataclass(frozen=True)
class FleetSpec:
    """A whole fleet: its devices plus the lab credentials and enable secret they share."""

    devices: tuple[DeviceSpec, ...]
    credentials: tuple[Credential, ...] = DEFAULT_CREDENTIALS
    secret: str = DEFAULT_SECRET
    by_address: dict[tuple[str, int], DeviceSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(d.host, d.port): d for d in self.devices}
        if len(index) != len(self.devices):
            raise ConfigError("two simulated devices share an address and port")
        object.__setattr__(self, "by_address", index)

    def accepts(self, device: DeviceSpec, username: str, password: str) -> bool:
        """Whether ``device`` accepts this login (``auth_only=N`` allows only credential N)."""
        allowed = self.credentials
        if device.failure is not None and device.failure.name == "auth_only":
            position = int(device.failure.value or 0)
            allowed = self.credentials[position : position + 1]
        return Credential(username, password) in allowed


def require_loopback(address: str) -> None:
    """Raise :class:`ConfigError` unless ``address`` is an IPv4 address inside 127.0.0.0/8."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise ConfigError(f"{address!r} is not an IP address", key="simulator.address") from exc
    if ip not in LOOPBACK:
        raise ConfigError(
            f"refusing to bind {address}: the simulator only listens on 127.0.0.0/8",
            key="simulator.address",
        )


def parse_failures(spec: str, count: int) -> dict[int, Failure]:
    """Parse ``"0:refuse,3:slow=0.5,5-7:garbled"``-style text into device index -> failure.

    The part before ``:`` is a 0-based device index, or a range ``a-b`` (inclusive).
    """
    result: dict[int, Failure] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        where, sep, what = item.partition(":")
        if not sep:
            raise ConfigError(f"failure {item!r} must look like INDEX:MODE[=VALUE]")
        first, _, last = where.partition("-")
        try:
            indexes = range(int(first), int(last or first) + 1)
        except ValueError as exc:
            raise ConfigError(f"failure {item!r}: {where!r} is not an index or range") from exc
        failure = Failure.parse(what)
        for i in indexes:
            if not 0 <= i < count:
                raise ConfigError(f"failure {item!r}: index {i} outside 0..{count - 1}")
            result[i] = failure
    return result


def split_transport(name: str) -> tuple[str, str]:
    """``cisco_ios_telnet`` -> ``("cisco_ios", "telnet")``; ``cisco_ios`` -> ``("cisco_ios", "ssh")``."""
    if name.endswith(TELNET_SUFFIX) and name not in ALL_PLATFORMS:
        return name.removesuffix(TELNET_SUFFIX), "telnet"
    return name, "ssh"


def build_fleet(
    count: int,
    platforms: tuple[str, ...] = ("cisco_ios",),
    base_address: str = "127.0.1.1",
    port: int = 2222,
    per_port: bool = False,
    failures: dict[int, Failure] | None = None,
    prefix: str = "sim",
    seed: str = "",
) -> FleetSpec:
    """Lay out ``count`` devices, platforms round-robin, one per loopback address (or per port).

    A platform spelt ``<platform>_telnet`` is served over telnet instead of SSH.
    """
    if count < 1:
        raise ConfigError("a fleet needs at least one device")
    require_loopback(base_address)
    first = ipaddress.ip_address(base_address)
    if not per_port and first + (count - 1) not in LOOPBACK:
        raise ConfigError(f"{count} addresses from {base_address} leave 127.0.0.0/8")
    if per_port and port + count - 1 > 65535:
        raise ConfigError(f"{count} ports from {port} exceed 65535")
    failures = failures or {}
    devices = []
    for i in range(count):
        platform, transport = split_transport(platforms[i % len(platforms)])
        short = profile.load(platform).short if platform in ALL_PLATFORMS else platform
        devices.append(
            DeviceSpec(
                hostname=f"{prefix}-{short}{'-tn' if transport == 'telnet' else ''}-{i + 1:04d}",
                platform=platform,
                transport=transport,
                host=base_address if per_port else str(first + i),
                port=port + i if per_port else port,
                failure=failures.get(i),
                seed=seed,
            )
        )
    return FleetSpec(tuple(devices))
