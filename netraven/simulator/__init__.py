"""Simulated network devices over real SSH (or telnet) on loopback addresses.

One asyncssh process serves a whole fleet. IOS, NX-OS, EOS and Junos configs are generated lazily
and deterministically per hostname and change through config mode for the life of the process;
every other platform is played from its profile (:mod:`netraven.simulator.profile`). Failure modes, per device
(``--failures "INDEX:MODE[=VALUE],..."``); see docs/simulator.md for what netmiko sees:

- ``auth_only=N``: accepts only the fleet's Nth lab credential (0-based).
- ``bad_enable``: rejects the enable secret (``% Access denied`` / ``% Bad secrets``).
- ``slow=S``: waits S seconds before answering each non-empty command.
- ``hang_after_login``: authenticates, then never sends a prompt.
- ``hang_mid_output``: sends half of a long output (a config), then stalls.
- ``drop_mid_output``: sends half of a long output, then drops the connection.
- ``refuse``: nothing listens on the device's address and port.
- ``slow_banner=S``: holds the SSH banner (and handshake) back S seconds.
- ``garbled``: long outputs come with junk bytes, invalid UTF-8 and truncated lines.

``Fleet`` (the asyncssh server) is imported on first use, so that starting a fleet process or
reading a fleet description does not import asyncssh.
"""

from typing import TYPE_CHECKING, Any

from netraven.simulator.inventory import describe, netmiko_params, write_inventory
from netraven.simulator.process import FleetProcess, SimulatorError, start_fleet_process
from netraven.simulator.spec import (
    ALL_PLATFORMS,
    DEFAULT_CREDENTIALS,
    FAILURE_MODES,
    PLATFORMS,
    Credential,
    DeviceSpec,
    Failure,
    FleetSpec,
    build_fleet,
    parse_failures,
)

__all__ = [
    "ALL_PLATFORMS",
    "DEFAULT_CREDENTIALS",
    "FAILURE_MODES",
    "PLATFORMS",
    "Credential",
    "DeviceSpec",
    "Failure",
    "Fleet",
    "FleetProcess",
    "FleetSpec",
    "SimulatorError",
    "build_fleet",
    "describe",
    "netmiko_params",
    "parse_failures",
    "start_fleet_process",
    "write_inventory",
]

if TYPE_CHECKING:
    from netraven.simulator.server import Fleet


def __getattr__(name: str) -> Any:
    if name == "Fleet":
        from netraven.simulator.server import Fleet

        return Fleet
    raise AttributeError(f"module 'netraven.simulator' has no attribute {name!r}")
