"""Config history and diff on a device with 10,000 stored versions, on SQLite and PostgreSQL.

Each database gets a device 'busy' with 10,000 versions of a ~300-line IOS config (one interface
description and the 'Last configuration change' line differ between consecutive versions; rows
bulk-inserted) and, as the baseline of the same run, a device 'small' with 2 versions. Timed, median
of --repeat runs after one warm-up:

- library: ``netraven.configs.queries`` in a new session on one shared engine;
- CLI: ``netraven config ...`` through click's CliRunner in this process, each call building its
  own Application (settings, engine, schema check) as a real invocation does.

Target: under 100 ms each. Usage:

    python benchmarks/config_queries.py [--versions 10000] [--repeat 7] [--url postgresql://...]

The PostgreSQL database is created on the server of --url (default: postgres at 127.0.0.1:5432)
and dropped at the end; the SQLite file lives in a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from netraven.cli import main as cli
from netraven.configs import config_hash, queries
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, DeviceConfiguration
from netraven.db.session import create_session_factory

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PORTS = 48


def base_config(hostname: str) -> list[str]:
    """About 300 lines: a header of 9 lines, 48 access ports of 6 lines, a few services."""
    lines = ["!", "! Last configuration change at 00:00:00 UTC Thu Jan 1 2026", "version 15.2"]
    lines += ["service timestamps log", f"hostname {hostname}", "!", "vlan 10", " name users", "!"]
    for port in range(1, PORTS + 1):
        lines += [f"interface GigabitEthernet1/0/{port}", f" description access port {port}"]
        lines += [" switchport access vlan 10", " switchport mode access", " spanning-tree portfast", "!"]
    lines += ["ip ssh version 2", "logging host 192.0.2.10", "line vty 0 4", " transport input ssh"]
    return [*lines, "end"]


def versions(hostname: str, count: int) -> Iterator[tuple[int, str]]:
    """``count`` versions, each changing one port description (and the volatile header line)."""
    lines = base_config(hostname)
    for n in range(1, count + 1):
        if n > 1:
            port = n % PORTS + 1
            lines[1] = f"! Last configuration change at {n} by admin"
            lines[9 + 6 * (port - 1) + 1] = f" description access port {port} (rev {n})"
        yield n, "\n".join(lines) + "\n"


def populate(engine: Engine, count: int) -> None:
    with engine.begin() as conn:
        for device_id, hostname, total in ((1, "busy", count), (2, "small", 2)):
            device = {"id": device_id, "hostname": hostname, "host": f"10.0.0.{device_id}", "port": 22}
            conn.execute(insert(Device), [{**device, "platform": "cisco_ios", "enabled": True, "data": {}}])
            rows: list[dict[str, Any]] = []
            for n, config in versions(hostname, total):
                when = T0 + timedelta(hours=n)
                rows.append(
                    {"device_id": device_id, "version": n, "config_text": config, "size_bytes": len(config),
                     "normalized_hash": config_hash(config), "retrieved_at": when, "last_seen_at": when,
                     "redacted": False, "changed_lines": 2 if n > 1 else None, "details": {}}
                )  # fmt: skip
                if len(rows) == 1000 or n == total:
                    conn.execute(insert(DeviceConfiguration), rows)
                    rows = []


def history_plan(engine: Engine) -> str:
    """The query plan of the history query (the newest 20 versions of device 1)."""
    explain = "EXPLAIN QUERY PLAN" if engine.dialect.name == "sqlite" else "EXPLAIN"
    sql = "SELECT version, retrieved_at FROM device_configurations WHERE device_id = 1"
    sql += " ORDER BY version DESC LIMIT 20"
    with engine.connect() as conn:
        return " / ".join(str(row[-1]).strip() for row in conn.exec_driver_sql(f"{explain} {sql}"))


def median_ms(repeat: int, call: Callable[[], object]) -> float:
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(engine: Engine, home: Path, count: int, repeat: int) -> dict[str, tuple[float, float]]:
    """Figure name -> (median ms on 'busy', median ms on 'small')."""
    sessions = create_session_factory(engine)
    env = {
        "NETRAVEN_HOME": str(home),
        "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
    }
    runner = CliRunner()

    def library(query: Callable[..., object], *args: object) -> Callable[[], object]:
        def call() -> object:
            with sessions() as session:
                return query(session, *args)

        return call

    def command(*args: str) -> Callable[[], object]:
        def call() -> object:
            result = runner.invoke(cli, ["config", *args], env=env)
            assert result.exit_code == 0, result.output
            return result

        return call

    pairs = {"busy": (count // 2, count), "small": (1, 2)}
    cases: dict[str, Callable[[str], Callable[[], object]]] = {
        "library history (newest 20)": lambda host: library(queries.history, host, 20),
        "library history (every version)": lambda host: library(queries.history, host),
        "library diff V1 V2": lambda host: library(queries.diff, host, *pairs[host]),
        "CLI config history": lambda host: command("history", host),
        "CLI config history --limit 0 --json": lambda host: command(
            "history", host, "--limit", "0", "--json"
        ),
        "CLI config diff V1 V2": lambda host: command("diff", host, *map(str, pairs[host])),
    }
    return {
        name: (median_ms(repeat, case("busy")), median_ms(repeat, case("small")))
        for name, case in cases.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="netraven-bench-"))
    results: dict[str, dict[str, tuple[float, float]]] = {}
    with postgres_database(args.url) as pg_url:
        for kind, url in (("sqlite", f"sqlite:///{home / 'bench.sqlite3'}"), ("postgresql", pg_url)):
            engine = create_engine_for_url(url)
            try:
                migrate.upgrade(engine)
                start = time.perf_counter()
                populate(engine, args.versions)
                if kind == "postgresql":
                    with engine.begin() as conn:
                        conn.exec_driver_sql("ANALYZE")  # as autovacuum would, soon after a bulk insert
                print(f"{kind}: {args.versions:,} versions inserted in {time.perf_counter() - start:.1f} s")
                print(f"  history query plan: {history_plan(engine)}")
                results[kind] = measure(engine, home, args.versions, args.repeat)
            finally:
                engine.dispose()

    mid = args.versions // 2
    print(f"\nmedian of {args.repeat} runs after a warm-up, in ms; 'busy' has {args.versions:,} versions "
          f"(diff {mid} -> {args.versions}), the baseline 'small' has 2 (diff 1 -> 2)")  # fmt: skip
    print(f"{'':38}{'sqlite busy':>13}{'baseline':>10}{'postgresql busy':>17}{'baseline':>10}")
    for name in results["sqlite"]:
        (sb, ss), (pb, ps) = results["sqlite"][name], results["postgresql"][name]
        print(f"{name:38}{sb:13.1f}{ss:10.1f}{pb:17.1f}{ps:10.1f}")


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """The URL of a new PostgreSQL database on ``server_url``'s server, dropped on exit."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"netraven_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
