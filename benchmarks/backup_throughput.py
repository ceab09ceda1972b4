"""Backup throughput: a plain Nornir + netmiko script against a NetRaven backup run, same devices, same run.

Both back up the same simulated fleet (cisco_ios, cisco_nxos, arista_eos, juniper_junos in turn,
one simulator process on loopback, on the same machine) with the same number of Nornir threads,
once with no added latency and once with every device answering each command 200 ms late (the
simulator's failure mode ``slow=0.2`` on every device). Timed, wall clock, in this process:

- plain: what a typical Nornir user's script does (``benchmarks/plain_backup.py``). ``InitNornir``
  over a SimpleInventory written from the fleet file (username, password and enable secret per
  host), ``netmiko_send_command`` ("show running-config", enable on IOS and EOS; "show configuration"
  on Junos), each config written to ``<host>.cfg``, ``nr.close_connections()`` at the end. Writing
  the YAML file is not timed.
- NetRaven: ``run_job("backup", Targets.of(all=True))`` as ``netraven run`` calls it, with full
  persistence: inventory from the database, credentials decrypted per login, JobResult, JobLog
  and ConnectionLog rows (redacted), config versions, one git commit per run. Each round starts
  from a fresh database and git repository (storing the fleet's devices and credentials is not
  timed) and runs twice: "first backup" stores a new version of every device; "repeat" finds
  every config unchanged (only volatile lines moved), as most nightly runs do. SQLite, the default
  database, in a temporary directory; PostgreSQL as extra rows when reachable (a new database per
  round, dropped at the end). With default settings a run this large splits its hosts over one
  process per core (``runner.processes``), the threads shared among them; "SQLite, 1 process"
  is the same run held to this one process, as a second baseline.

With ``--fleet mixed`` the fleet is every platform of the registry in turn (32 simulator profiles)
and the plain script is given each platform's config commands (its setup commands first), as a
user who knows each platform would write them; NetRaven picks them from its registry. NetRaven
runs without facts (``facts=False``): the plain script reads none.

Each variant runs --repeat rounds (default 2), the order reversed every other round; figures are
medians. Then ``netraven config history`` and ``config diff`` are timed on a device with 10,000
versions with the code of ``benchmarks/config_queries.py``. Targets: NetRaven >= 1.0x the plain
script at both latencies; config history and diff under 100 ms. Usage:

    python benchmarks/backup_throughput.py [--devices 500] [--fleet four|mixed] [--workers 50] [--repeat 2]
        [--latencies 0,0.2] [--versions 10000] [--url postgresql://...] [--no-postgres] [--no-queries]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from netraven import platforms
from netraven.credentials.store import add_credential
from netraven.credentials.vault import load_vault
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, DeviceConfiguration, JobResult, Tag
from netraven.db.session import create_session_factory
from netraven.jobs import Targets
from netraven.runner import run_job
from netraven.runner.spawn import shard_count
from netraven.settings import Settings, load_settings
from netraven.simulator import ALL_PLATFORMS, PLATFORMS, start_fleet_process
from netraven.simulator.process import FleetProcess
from netraven.simulator.pytest_plugin import free_base_address

sys.path.insert(0, str(Path(__file__).resolve().parent))
import config_queries  # the sibling benchmark, reused for its section
from plain_backup import Commands, Figure, plain_backup, write_simple_inventory  # the baseline script

PLAIN = "plain Nornir + netmiko"


# -- the NetRaven run ---------------------------------------------------------------------------------


def netraven_settings(home: Path, url: str, workers: int, processes: int = 0) -> Settings:
    """Defaults but for the data directory, database and threads; ``processes`` 0 is the default."""
    return load_settings(
        environ={
            "NETRAVEN_HOME": home.as_posix(),
            "NETRAVEN_DATABASE__URL": url,
            "NETRAVEN_RUNNER__NUM_WORKERS": str(workers),
            "NETRAVEN_RUNNER__PROCESSES": str(processes),
        }
    )


def store_fleet(settings: Settings, fleet: FleetProcess) -> None:
    """Migrate the database and store the fleet (tag ``lab``) with its credentials, as `netraven` would."""
    engine = create_engine_for_url(settings.database_url)
    try:
        migrate.upgrade(engine)
        vault = load_vault(settings, create=True)
        with create_session_factory(engine).begin() as session:
            lab = Tag(name="lab", type="site")
            session.add_all(
                Device(hostname=d["hostname"], host=d["host"], port=d["port"], platform=d["platform"],
                       tags=[lab], data={})
                for d in fleet.devices
            )  # fmt: skip
            session.flush()
            for n, cred in enumerate(fleet.credentials):
                add_credential(session, vault, f"lab-{n + 1}", cred["username"], cred["password"],
                               fleet.description["secret"], priority=10 * (n + 1), tags=["lab"])  # fmt: skip
    finally:
        engine.dispose()


def netraven_backup(settings: Settings, devices: int) -> Figure:
    """One ``run_job("backup", all)`` as ``netraven run`` does it (own engine and plugin manager), without
    facts: the plain script reads none (they are one more command per device, on by default)."""
    start = time.perf_counter()
    report = run_job("backup", Targets.of(all=True), {"facts": False}, settings=settings)
    seconds = time.perf_counter() - start
    check_persisted(settings, report.run_id, devices)
    return Figure(seconds, report.summary.hosts_succeeded, report.summary.hosts_failed)


def check_persisted(settings: Settings, run_id: int, devices: int) -> None:
    """The run stored a result per host, and every device has exactly one version (not timed)."""
    engine = create_engine_for_url(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            results = len(session.scalars(select(JobResult.id).where(JobResult.run_id == run_id)).all())
            versions = len(session.scalars(select(DeviceConfiguration.id)).all())
    finally:
        engine.dispose()
    assert results == devices, f"run {run_id}: {results} results for {devices} devices"
    assert versions == devices, f"run {run_id}: {versions} versions for {devices} devices"


def fleet_platforms(fleet: str) -> tuple[tuple[str, ...], Commands | None]:
    """The platforms of the fleet, and the plain script's commands for them (None: its own four).

    ``mixed``: every platform of the registry, the plain script given each one's config commands
    (its setup commands first, where netmiko's driver does not send them), as a user who knows
    each platform would write it.
    """
    if fleet == "four":
        return PLATFORMS, None
    entries = [platforms.get(name) for name in ALL_PLATFORMS]
    return ALL_PLATFORMS, {p.name: ((*p.setup_commands, *p.commands), p.enable) for p in entries}


@contextmanager
def postgres_server(url: str | None) -> Iterator[Callable[[], Any] | None]:
    """A factory of throw-away databases on ``url``'s server (each dropped at the end), or None."""
    if url is None:
        yield None
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except Exception as exc:  # not reachable: the PostgreSQL row is left out, and said so
        where = make_url(url).render_as_string()
        print(f"PostgreSQL at {where} not reachable ({type(exc).__name__}): its rows are left out")
        admin.dispose()
        yield None
        return
    created: list[str] = []

    def new_database() -> str:
        name = f"netraven_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(url).set(database=name).render_as_string(hide_password=False)

    try:
        yield new_database
    finally:
        with admin.connect() as conn:
            for name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# -- one latency ------------------------------------------------------------------------------------


def measure_latency(
    latency: float, args: argparse.Namespace, workdir: Path, new_pg: Callable[[], str] | None
) -> dict[str, list[Figure]]:
    """Variant name -> its figures, over one simulator fleet answering ``latency`` s late."""
    failures = f"0-{args.devices - 1}:slow={latency:g}" if latency > 0 else ""
    address, port = free_base_address(random.Random())
    fleet_dir = workdir / f"fleet-{latency:g}"
    platforms, commands = fleet_platforms(args.fleet)
    with start_fleet_process(
        args.devices, fleet_dir, platforms, address, port, failures=failures, ready_timeout=120
    ) as fleet:
        inventory = write_simple_inventory(fleet.devices, fleet_dir / "plain")
        runs = 0

        def plain() -> dict[str, Figure]:
            nonlocal runs
            runs += 1
            return {PLAIN: plain_backup(inventory, fleet_dir / f"plain-out-{runs}", args.workers, commands)}

        def netraven(
            name: str, url_of: Callable[[Path], str], processes: int = 0
        ) -> Callable[[], dict[str, Figure]]:
            def run() -> dict[str, Figure]:
                nonlocal runs
                runs += 1
                home = fleet_dir / f"netraven-{runs}"
                settings = netraven_settings(home, url_of(home), args.workers, processes)
                store_fleet(settings, fleet)
                first = netraven_backup(settings, args.devices)
                repeat = netraven_backup(settings, args.devices)
                return {f"{name}, first backup": first, f"{name}, repeat": repeat}

            return run

        def sqlite_url(home: Path) -> str:
            return f"sqlite:///{home / 'netraven.sqlite3'}"

        variants: dict[str, Callable[[], dict[str, Figure]]] = {
            PLAIN: plain,
            "NetRaven SQLite": netraven("NetRaven SQLite", sqlite_url),
            "NetRaven SQLite, 1 process": netraven("NetRaven SQLite, 1 process", sqlite_url, processes=1),
        }
        if new_pg is not None:
            variants["NetRaven PostgreSQL"] = netraven("NetRaven PostgreSQL", lambda _home: new_pg())
        figures: dict[str, list[Figure]] = {}
        for round_ in range(args.repeat):
            order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
            for variant in order:
                for name, figure in variants[variant]().items():
                    figures.setdefault(name, []).append(figure)
                    print(f"  {latency * 1000:.0f} ms, round {round_ + 1}: {name}: {figure.seconds:.2f} s "
                          f"({figure.ok} ok, {figure.failed} failed)", flush=True)  # fmt: skip
    return figures  # in the order of the first round: plain, SQLite, PostgreSQL


def print_table(latency: float, devices: int, figures: dict[str, list[Figure]]) -> None:
    medians = {name: statistics.median(f.seconds for f in figs) for name, figs in figures.items()}
    plain = medians[PLAIN]
    print(f"\n{latency * 1000:.0f} ms per command, {devices} devices: median wall time, devices/s, "
          f"ratio NetRaven/plain in devices/s (>= 1.0 means NetRaven is at least as fast)")  # fmt: skip
    print(f"  {'variant':40}{'runs (s)':>12}{'median s':>10}{'devices/s':>11}{'ratio':>8}{'ok/failed':>12}")
    for name, figs in figures.items():
        runs = ", ".join(f"{f.seconds:.1f}" for f in figs)
        ok = f"{min(f.ok for f in figs)}/{max(f.failed for f in figs)}"
        print(f"  {name:40}{runs:>12}{medians[name]:10.2f}{devices / medians[name]:11.1f}"
              f"{plain / medians[name]:8.2f}{ok:>12}")  # fmt: skip


# -- config history and diff ------------------------------------------------------------------------


def config_query_section(args: argparse.Namespace, workdir: Path, new_pg: Callable[[], str] | None) -> None:
    """``netraven config history``/``diff`` on 10,000 versions, with benchmarks/config_queries.py's code."""
    print(f"\nconfig history and diff: a device with {args.versions:,} versions vs a 2-version baseline "
          f"(benchmarks/config_queries.py; median of {args.query_repeat} after a warm-up, ms)")  # fmt: skip
    urls = {"sqlite": f"sqlite:///{workdir / 'queries.sqlite3'}"}
    if new_pg is not None:
        urls["postgresql"] = new_pg()
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for kind, url in urls.items():
        engine = create_engine_for_url(url)
        try:
            migrate.upgrade(engine)
            config_queries.populate(engine, args.versions)
            if kind == "postgresql":
                with engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
            results[kind] = config_queries.measure(engine, workdir, args.versions, args.query_repeat)
        finally:
            engine.dispose()
    header = "".join(f"{kind + ' busy':>17}{'baseline':>10}" for kind in results)
    print(f"  {'':38}{header}")
    for name in results["sqlite"]:
        cells = "".join(f"{results[kind][name][0]:17.1f}{results[kind][name][1]:10.1f}" for kind in results)
        print(f"  {name:38}{cells}")


# -- main -------------------------------------------------------------------------------------------


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.machine())  # fmt: skip
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--fleet", choices=("four", "mixed"), default="four",
                        help="four: IOS, NX-OS, EOS, Junos; mixed: every registry platform")  # fmt: skip
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=2, help="rounds of every variant (medians reported)")
    parser.add_argument("--latencies", default="0,0.2", help="added seconds per command, comma-separated")
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--query-repeat", type=int, default=7)
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-queries", action="store_true")
    args = parser.parse_args()
    latencies = [float(x) for x in args.latencies.split(",")]

    print(__doc__.splitlines()[0])
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("netmiko", "paramiko", "nornir", "sqlalchemy")
    )
    print(f"machine: {machine()}, load average {os.getloadavg()[0]:.2f} at start; {versions}")
    defaults = netraven_settings(Path(tempfile.gettempdir()), "sqlite://", args.workers)
    fleet_names = (
        ", ".join(PLATFORMS) if args.fleet == "four" else f"the {len(ALL_PLATFORMS)} registry platforms"
    )
    print(f"how: {args.devices} simulated devices ({fleet_names} in turn) served by one simulator "
          f"process on this machine; {args.workers} Nornir threads; wall clock of each run, in this process; "
          f"{args.repeat} rounds, order reversed every other round; medians.\n"
          "  plain = InitNornir(SimpleInventory) + netmiko_send_command + a file per host + "
          "nr.close_connections() at the end\n"
          "  NetRaven = run_job('backup', all) with full persistence; 'first backup' on a fresh database "
          "and git repo (a new version of every device), 'repeat' right after it (configs unchanged);\n"
          f"  with default settings the run splits its hosts over {shard_count(defaults, args.devices)} "
          f"processes sharing the {args.workers} threads (runner.processes = 0: one per core); "
          "'1 process' sets runner.processes = 1",
          flush=True)  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netraven-bench-") as tmp, \
            postgres_server(None if args.no_postgres else args.url) as new_pg:  # fmt: skip
        workdir = Path(tmp)
        tables = [(latency, measure_latency(latency, args, workdir, new_pg)) for latency in latencies]
        for latency, figures in tables:
            print_table(latency, args.devices, figures)
        if not args.no_queries:
            config_query_section(args, workdir, new_pg)
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
