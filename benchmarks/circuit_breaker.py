"""Circuit breaker: a backup run over a fleet with dead devices, once their circuits are open,
against the same run over the live devices alone.

One simulator process on loopback serves the fleet; ``--dead`` percent of its devices (every
fifth by default) hang: they accept the TCP connection and never send the SSH banner (the
simulator's ``slow_banner`` failure mode with a delay longer than any run), so netmiko waits its
``connection.banner_timeout`` on each login attempt. Two NetRaven databases (SQLite, default
settings but for the data directory, the database, the banner timeout and the connection
attempts) hold:

- "live only": the live devices only;
- "with dead, circuits open": every device. Before it is timed, ``circuit.failures`` backup runs
  (timed too, and printed: the price of finding the dead devices) open the dead devices' circuits.

Each database gets one untimed warm-up backup (the first version of every config is stored), so
every timed run is a repeat backup that finds the configs unchanged. The two are then timed in
turn (the order reversed every other round), ``--repeat`` times each (``run_job("backup", all)``
as ``netraven run`` calls it, wall clock, in this process); figures are medians. Target: "with
dead, circuits open" no slower than "live only" (ratio <= 1.0, within the noise of a shared
machine). Usage:

    python benchmarks/circuit_breaker.py [--devices 200] [--dead 20] [--repeat 7] [--banner-timeout 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import func, select

from netraven.db import create_engine_for_url
from netraven.db.models import Device
from netraven.db.session import create_session_factory
from netraven.jobs import Targets
from netraven.runner import RunReport, run_job
from netraven.settings import Settings, load_settings
from netraven.simulator import PLATFORMS, start_fleet_process
from netraven.simulator.pytest_plugin import free_base_address

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup_throughput import store_fleet  # the sibling benchmark's loader


class Only:
    """A fleet seen through some of its devices (what ``store_fleet`` reads)."""

    def __init__(self, fleet: object, devices: list[dict[str, object]]) -> None:
        self.devices = devices
        self.credentials = fleet.credentials  # type: ignore[attr-defined]
        self.description = fleet.description  # type: ignore[attr-defined]


def settings_for(home: Path, args: argparse.Namespace) -> Settings:
    return load_settings(
        environ={
            "NETRAVEN_HOME": home.as_posix(),
            "NETRAVEN_DATABASE__URL": f"sqlite:///{home / 'netraven.sqlite3'}",
            "NETRAVEN_CONNECTION__BANNER_TIMEOUT": str(args.banner_timeout),
            "NETRAVEN_CONNECTION__RETRY_ATTEMPTS": "1",
            "NETRAVEN_RUNNER__PROCESSES": "1",
        }
    )


def backup(settings: Settings) -> tuple[float, RunReport]:
    began = time.perf_counter()
    report = run_job("backup", Targets.of(all=True), settings=settings)
    return time.perf_counter() - began, report


def open_circuits(settings: Settings) -> int:
    engine = create_engine_for_url(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            return int(session.scalar(select(func.count()).where(Device.circuit == "open")) or 0)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--dead", type=int, default=20, help="percent of the devices that hang")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--banner-timeout", type=float, default=5.0)
    args = parser.parse_args()
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # the hung logins' reader threads
    step = max(1, round(100 / args.dead)) if args.dead else 0
    dead = [i for i in range(args.devices) if step and i % step == step - 1]
    failures = ",".join(f"{i}:slow_banner=100000" for i in dead)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"# {python}, netraven {version('netraven')}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start")  # fmt: skip
    print(
        f"# {args.devices} simulated devices, {len(dead)} hanging (no SSH banner); banner timeout "
        f"{args.banner_timeout:g} s, 1 connection attempt; SQLite; medians of {args.repeat} runs"
    )
    with tempfile.TemporaryDirectory(prefix="netraven-circuit-") as tmp:
        work = Path(tmp)
        address, port = free_base_address(random.Random())
        with start_fleet_process(args.devices, work / "fleet", PLATFORMS, address, port, failures=failures,
                                 ready_timeout=60) as fleet:  # fmt: skip
            live = [d for i, d in enumerate(fleet.devices) if i not in set(dead)]
            alone, mixed = settings_for(work / "live", args), settings_for(work / "mixed", args)
            store_fleet(alone, Only(fleet, live))  # type: ignore[arg-type]
            store_fleet(mixed, fleet)
            backup(alone)  # warm-up: first versions stored
            opening = [backup(mixed) for _ in range(mixed.circuit.failures)]
            for n, (seconds, report) in enumerate(opening, 1):
                print(f"opening run {n}: {seconds:.2f} s ({report.summary.hosts_failed} hosts failed)")
            assert open_circuits(mixed) == len(dead), f"{open_circuits(mixed)} circuits open, not {len(dead)}"
            times: dict[str, list[float]] = {"live only": [], "with dead, circuits open": []}
            for n in range(args.repeat):  # in turn, the order reversed every other round
                for name in sorted(times, reverse=bool(n % 2)):
                    seconds, report = backup(alone if name == "live only" else mixed)
                    skipped = [o for o in report.hosts.values() if o.error_kind == "circuit_open"]
                    assert report.summary.hosts_succeeded == len(live), report.message
                    assert len(skipped) == (0 if name == "live only" else len(dead))
                    times[name].append(seconds)
    print("\n| run | median (s) | runs (s) |\n| --- | --- | --- |")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
    ratio = statistics.median(times["with dead, circuits open"]) / statistics.median(times["live only"])
    print(f"\nratio (with dead, circuits open) / (live only): {ratio:.2f} (target <= 1.0)")
    print(f"# load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
