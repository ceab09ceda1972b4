"""What a user waits for at the command line: NetRaven commands timed as whole processes, against baselines.

Every figure is the wall clock of one whole process (``subprocess.run``), started from this script
with the same environment: interpreter start, imports, settings, database, devices, exit. The
variants of a table run round-robin (the order reversed every other round) so that a machine
loaded by other work slows them alike; figures are medians, compared as differences and ratios.

Start-up (always), over 10 simulated devices (cisco_ios, arista_eos, cisco_nxos, juniper_junos in
turn) stored in a SQLite database in a temporary NETRAVEN_HOME:

- ``python -c pass``: the interpreter alone, the baseline of the next two;
- ``netraven --help``; target: at most 0.25 s more than ``python -c pass``;
- ``netraven device list`` (10 devices); target: at most 0.5 s more;
- ``netraven run backup --all`` over the 10 devices, and the plain Nornir + netmiko script
  (``benchmarks/plain_backup.py``, the same 50 threads) over the same devices; target: NetRaven at
  most 1.2x the plain script's time. A warm-up round, not counted, runs every variant once first,
  so NetRaven's timed backups find every config unchanged (as most nightly runs do).

Fleets (``--fleets 200,500 --latencies 0,0.2``): ``netraven run backup --all`` against the plain
script, both whole processes, over N simulated cisco_ios devices answering each command L seconds
late (the simulator's ``slow=L``), each on a fresh NetRaven home; the first NetRaven run stores a
version of every device (reported as "first backup"), the later ones find them unchanged
("repeat"). Target: NetRaven at least 1.0x the plain script's devices per second.

    python benchmarks/cli_startup.py [--repeat 7] [--fleets 200,500] [--latencies 0,0.2] [--fleet-repeat 2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup_throughput import machine, netraven_settings, store_fleet
from bytecode import compile_netraven
from plain_backup import write_simple_inventory

from netraven.simulator import PLATFORMS, start_fleet_process
from netraven.simulator.process import FleetProcess, free_base_address

HERE = Path(__file__).resolve().parent
NETRAVEN = Path(sys.executable).with_name("netraven")  # the console script users run
WORKERS = 50  # runner.num_workers' default, given to the plain script too

Variant = Callable[[], "Timing"]


@dataclass
class Timing:
    """One whole process: wall seconds, and CPU seconds (user + system) of it and its children."""

    wall: float
    cpu: float


def run_timed(command: list[str], env: dict[str, str], cwd: Path) -> Timing:
    """``command`` as a whole process, timed; a failure stops the benchmark with its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return Timing(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def plain_command(inventory: Path, workdir: Path) -> list[str]:
    """The plain script over ``inventory``, writing its configs under ``workdir``."""
    script, out = str(HERE / "plain_backup.py"), str(workdir / "plain-out")
    return [sys.executable, script, str(inventory), out, "--workers", str(WORKERS)]


def netraven_env(home: Path) -> dict[str, str]:
    """This environment without NETRAVEN_* settings, NetRaven's data (SQLite, git, keys) in ``home``."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("NETRAVEN_")}
    return {**env, "NETRAVEN_HOME": str(home)}


def prepare(fleet: FleetProcess, workdir: Path) -> tuple[dict[str, str], Path]:
    """A NetRaven home holding the fleet (migrated, devices and credentials), and the plain inventory."""
    home = workdir / "home"
    store_fleet(netraven_settings(home, f"sqlite:///{home / 'netraven.sqlite3'}", WORKERS), fleet)
    return netraven_env(home), write_simple_inventory(fleet.devices, workdir / "plain")


def rounds(variants: dict[str, Variant], repeat: int, warm_up: bool, label: str) -> dict[str, list[Timing]]:
    """Each variant ``repeat`` times, round-robin, reversed every other round; name -> timings."""
    figures: dict[str, list[Timing]] = {name: [] for name in variants}
    for round_ in range(-1 if warm_up else 0, repeat):
        order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
        for name in order:
            timing = variants[name]()
            if round_ >= 0:
                figures[name].append(timing)
        done = "warm-up" if round_ < 0 else f"round {round_ + 1}/{repeat}"
        print(f"  {label}{done} done (load {os.getloadavg()[0]:.1f})", flush=True)
    return figures


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def startup_section(args: argparse.Namespace, workdir: Path) -> None:
    devices = 10
    address, port = free_base_address(random.Random())
    with start_fleet_process(devices, workdir / "fleet-10", PLATFORMS, address, port) as fleet:
        cwd = workdir / "startup"
        env, inventory = prepare(fleet, cwd)
        netraven = str(NETRAVEN)
        variants: dict[str, Variant] = {
            "python -c pass": lambda: run_timed([sys.executable, "-c", "pass"], env, cwd),
            "netraven --help": lambda: run_timed([netraven, "--help"], env, cwd),
            "netraven device list": lambda: run_timed([netraven, "device", "list"], env, cwd),
            "netraven run backup --all": lambda: run_timed([netraven, "run", "backup", "--all"], env, cwd),
            "plain script": lambda: run_timed(plain_command(inventory, cwd), env, cwd),
        }
        figures = rounds(variants, args.repeat, warm_up=True, label="start-up: ")
    med = {name: median(timings) for name, timings in figures.items()}
    python, plain = med["python -c pass"], med["plain script"]
    targets = {"netraven --help": 0.25, "netraven device list": 0.5}
    print(f"\nStart-up, {devices} devices: medians of {args.repeat} whole-process runs; wall clock, and CPU "
          "(user + system of it and its children: a loaded machine inflates it less)")  # fmt: skip
    print(f"  {'command':27}{'wall runs (s)':>38}{'wall':>7}{'CPU':>7}  against the baseline (target)")
    for name, timings in figures.items():
        runs = ", ".join(f"{t.wall:.2f}" for t in timings)
        m = med[name]
        if name in targets:
            limit = targets[name]
            text = (f"wall +{m.wall - python.wall:.2f} s, CPU +{m.cpu - python.cpu:.2f} s over python -c "
                    f"pass (target <= +{limit}): {_verdict(m.wall - python.wall <= limit)}")  # fmt: skip
        elif name == "netraven run backup --all":
            text = (f"wall {m.wall / plain.wall:.2f}x, CPU {m.cpu / plain.cpu:.2f}x the plain script "
                    f"(target <= 1.2x): {_verdict(m.wall / plain.wall <= 1.2)}")  # fmt: skip
        else:
            text = "baseline"
        print(f"  {name:27}{runs:>38}{m.wall:7.2f}{m.cpu:7.2f}  {text}")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def fleet_section(devices: int, latency: float, args: argparse.Namespace, workdir: Path) -> None:
    failures = f"0-{devices - 1}:slow={latency:g}" if latency > 0 else ""
    address, port = free_base_address(random.Random())
    where = workdir / f"fleet-{devices}-{latency:g}"
    with start_fleet_process(devices, where, ("cisco_ios",), address, port, failures=failures,
                             ready_timeout=120) as fleet:  # fmt: skip
        env, inventory = prepare(fleet, where)
        variants: dict[str, Variant] = {
            "NetRaven": lambda: run_timed([str(NETRAVEN), "run", "backup", "--all"], env, where),
            "plain script": lambda: run_timed(plain_command(inventory, where), env, where),
        }
        label = f"{devices} devices, {latency * 1000:.0f} ms: "
        figures = rounds(variants, args.fleet_repeat, warm_up=False, label=label)
    plain = median(figures["plain script"])
    first, *repeats = figures["NetRaven"]
    print(f"\n{devices} cisco_ios devices, {latency * 1000:.0f} ms per command, whole processes: medians, "
          "devices/s, ratio NetRaven/plain in devices/s (target >= 1.0)")  # fmt: skip
    rows = [("plain script", figures["plain script"]), ("netraven run, first backup", [first])]
    if repeats:
        rows.append(("netraven run, repeat", repeats))
    for name, timings in rows:
        m = median(timings)
        runs = ", ".join(f"{t.wall:.1f}" for t in timings)
        print(f"  {name:28}{runs:>20}{m.wall:8.2f} s{devices / m.wall:8.1f}/s{plain.wall / m.wall:7.2f}x"
              f"   CPU {m.cpu:6.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds of the start-up table")
    parser.add_argument(
        "--fleets", default="", help="fleet sizes for the whole-process backup tables, e.g. 200,500"
    )
    parser.add_argument("--latencies", default="0,0.2", help="added seconds per command for --fleets")
    parser.add_argument("--fleet-repeat", type=int, default=2, help="rounds of each --fleets table")
    parser.add_argument("--no-startup", action="store_true", help="only the --fleets tables")
    args = parser.parse_args()
    if not NETRAVEN.exists():
        raise SystemExit(f"no netraven command beside {sys.executable}: install netraven in this environment")
    print(__doc__.splitlines()[0])
    print(f"machine: {machine()}, load average {os.getloadavg()[0]:.2f} at start")
    print(f"how: whole processes started by this script, wall clock; {NETRAVEN}; simulated devices served by "
          "one simulator process on this machine; NetRaven with default settings, SQLite in a temporary "
          "home; plain = benchmarks/plain_backup.py", flush=True)  # fmt: skip
    print(compile_netraven(), flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netraven-cli-bench-") as tmp:
        workdir = Path(tmp)
        if not args.no_startup:
            startup_section(args, workdir)
        for devices in (int(n) for n in args.fleets.split(",") if n):
            for latency in (float(x) for x in args.latencies.split(",")):
                fleet_section(devices, latency, args, workdir)
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
