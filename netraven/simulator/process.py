"""Run a fleet in a separate process (``python -m netraven.simulator start``) and hold it by PID."""

from __future__ import annotations

import os
import random
import selectors
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netraven.exceptions import NetRavenError
from netraven.simulator.control import control_request


class SimulatorError(NetRavenError):
    """The simulator process did not start, or did not stop, in time."""


@dataclass
class FleetProcess:
    """A running simulator process: its devices (see :func:`netraven.simulator.inventory.describe`),
    lab credentials, control address; ``stop()`` ends it (SIGTERM, then SIGKILL)."""

    process: subprocess.Popen[bytes]
    ready_line: str
    inventory: Path
    control: tuple[str, int]
    description: dict[str, Any] = field(repr=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def devices(self) -> list[dict[str, Any]]:
        """One dict per device: hostname, host, port, platform, username, password, secret, failure."""
        return list(self.description["devices"])

    @property
    def credentials(self) -> list[dict[str, str]]:
        return list(self.description["credentials"])

    def device(self, hostname: str) -> dict[str, Any]:
        return next(d for d in self.devices if d["hostname"] == hostname)

    def configure(self, hostname: str, lines: list[str]) -> None:
        """Change a device's config as if typed in config mode (Junos: set/delete, then commit)."""
        control_request(self.control, {"op": "configure", "hostname": hostname, "lines": lines})

    def running_config(self, hostname: str) -> str:
        return str(control_request(self.control, {"op": "show", "hostname": hostname})["config"])

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; returns the exit status."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def __enter__(self) -> FleetProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_base_address(rng: random.Random | None = None) -> tuple[str, int]:
    """A random loopback /24 (first host) away from the defaults, and a port free on it."""
    rng = rng or random.Random()
    address = f"127.{rng.randrange(64, 250)}.{rng.randrange(0, 250)}.1"
    with socket.socket() as probe:
        probe.bind((address, 0))
        return address, int(probe.getsockname()[1])


def start_fleet_process(
    count: int,
    workdir: Path,
    platforms: tuple[str, ...] = ("cisco_ios",),
    base_address: str = "127.0.1.1",
    port: int = 2222,
    per_port: bool = False,
    failures: str = "",
    ready_timeout: float = 30.0,
    extra_args: tuple[str, ...] = (),
) -> FleetProcess:
    """Start ``python -m netraven.simulator start`` and wait (at most ``ready_timeout`` s) for READY.

    ``workdir`` receives the inventory (``fleet.yaml``), the host key and the process's stderr.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    inventory = workdir / "fleet.yaml"
    command = [
        sys.executable,
        "-m",
        "netraven.simulator",
        "start",
        "--count",
        str(count),
        "--base-address",
        base_address,
        "--port",
        str(port),
        "--inventory-out",
        str(inventory),
        "--state-dir",
        str(workdir / "state"),
        *extra_args,
    ]
    command += [arg for p in platforms for arg in ("--platform", p)]
    if per_port:
        command.append("--per-port")
    if failures:
        command += ["--failures", failures]
    with (workdir / "simulator.stderr").open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL)
    line = _read_ready(process, ready_timeout, workdir / "simulator.stderr")
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    host, _, control_port = fields["control"].rpartition(":")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    description = yaml.load(inventory.read_text(encoding="utf-8"), Loader=loader)
    return FleetProcess(process, line, inventory, (host, int(control_port)), description)


def _read_ready(process: subprocess.Popen[bytes], timeout: float, stderr: Path) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                process.kill()
                process.wait()
                raise SimulatorError(f"simulator not ready after {timeout:g} s")
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                process.wait()
                error = stderr.read_text(errors="replace").strip().splitlines()
                raise SimulatorError(f"simulator exited ({process.returncode}): {error[-1] if error else ''}")
            buffer += chunk
    line = buffer.split(b"\n", 1)[0].decode()
    if not line.startswith("READY"):
        process.kill()
        process.wait()
        raise SimulatorError(f"simulator said {line!r} instead of READY")
    return line
