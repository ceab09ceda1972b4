"""`netraven device list` and `device import` of 10,000 devices against bare SQLAlchemy, same run.

Each figure is the best of --repeat runs. Baselines: a bare SQLAlchemy Core ``insert()`` of the same
device and device-tag rows (executemany, no validation), and a bare ``select()`` of the same device
rows with their tag names (one join, all rows fetched). NetRaven is measured twice: the inner call
(``import_devices`` in this process; ``device list`` through click's CliRunner, rendering included,
output discarded) and the whole command (a new ``netraven`` process, interpreter start and imports
included, stdout to /dev/null), and ``netraven --version`` shows what process start alone costs.
A whole command is also compared with the bare select as a whole process (a ``python -c`` script:
import SQLAlchemy, connect, fetch the same rows with the same SQL), the like-for-like baseline of
what a user waits for. Targets (#13): within 10x of the baselines. Usage:

    python benchmarks/inventory_scale.py [--devices 10000] [--repeat 3] [--url postgresql://...]

Without --url each measure uses a new SQLite file; with it, throw-away PostgreSQL databases on that
server, dropped at the end.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bytecode import compile_netraven
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from netraven.cli import main as cli
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, Tag, device_tags
from netraven.inventory import import_devices

PLATFORMS = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"]
BARE_INSERT, BARE_SELECT = "import: bare SQLAlchemy insert", "list: bare SQLAlchemy select"
BARE_PROCESS = "list: bare SQLAlchemy select (process)"
BARE_SQL = (
    "SELECT d.id, d.hostname, d.host, d.port, d.platform, d.enabled, d.description, t.name FROM devices d"
    " LEFT JOIN device_tags dt ON dt.device_id = d.id LEFT JOIN tags t ON t.id = dt.tag_id"
    " ORDER BY d.hostname"
)
BARE_SCRIPT = (
    "import sys, sqlalchemy as sa\n"
    "with sa.create_engine(sys.argv[1]).connect() as c: print(len(c.execute(sa.text(sys.argv[2])).all()))"
)


def rows(count: int) -> list[dict[str, object]]:
    return [
        {"hostname": f"dev-{i:05d}", "host": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "port": 22,
         "platform": PLATFORMS[i % 4], "tags": f"site-{i % 50};role-{i % 10};{PLATFORMS[i % 4]}",
         "description": f"device {i}"}
        for i in range(count)
    ]  # fmt: skip


class Databases:
    """New migrated databases: SQLite files in a temporary directory, or PostgreSQL databases."""

    def __init__(self, url: str | None, workdir: Path) -> None:
        self.url, self.workdir, self.created = url, workdir, []
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT") if url else None

    def new(self) -> str:
        name = f"netraven_bench_{uuid.uuid4().hex[:8]}"
        if self.admin is None:
            return f"sqlite:///{self.workdir / (name + '.sqlite3')}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]

    @contextmanager
    def engine(self) -> Iterator[tuple[str, Engine]]:
        url = self.new()
        engine = create_engine_for_url(url)
        migrate.upgrade(engine)
        try:
            yield url, engine
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as conn:
                for name in self.created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def best(repeat: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(repeat))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def command(url: str, *args: str) -> float:
    env = {**os.environ, "NETRAVEN_DATABASE__URL": url}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "netraven", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_process(url: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_SCRIPT, url, BARE_SQL], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_insert(engine: Engine, data: list[dict[str, object]]) -> None:
    names = sorted({name for row in data for name in str(row["tags"]).split(";")})
    with engine.begin() as conn:
        tags = conn.execute(insert(Tag).returning(Tag.name, Tag.id), [{"name": n} for n in names])
        ids = {name: tag_id for name, tag_id in tags}
        devices = [{k: v for k, v in row.items() if k != "tags"} for row in data]
        device_ids = conn.scalars(insert(Device).returning(Device.id, sort_by_parameter_order=True), devices)
        links = [{"device_id": d, "tag_id": ids[n]} for d, row in zip(device_ids, data, strict=True)
                 for n in str(row["tags"]).split(";")]  # fmt: skip
        conn.execute(insert(device_tags), links)


def bare_select(engine: Engine) -> int:
    query = (
        select(Device.id, Device.hostname, Device.host, Device.port, Device.platform, Device.enabled,
               Device.description, Tag.name)
        .outerjoin(device_tags, device_tags.c.device_id == Device.id)
        .outerjoin(Tag, Tag.id == device_tags.c.tag_id)
        .order_by(Device.hostname)
    )  # fmt: skip
    with engine.connect() as conn:
        return len(conn.execute(query).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="a PostgreSQL server URL (default: SQLite files)")
    args = parser.parse_args()
    print(compile_netraven())
    workdir = Path(tempfile.mkdtemp(prefix="netraven-bench-"))
    os.environ["NETRAVEN_HOME"] = str(workdir)
    data = rows(args.devices)
    path = workdir / "devices.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    dbs = Databases(args.url, workdir)
    try:
        report(dbs, data, path, args.repeat)
    finally:
        dbs.drop()


def report(dbs: Databases, data: list[dict[str, object]], path: Path, repeat: int) -> None:
    def fresh(measure: Callable[[str, Engine], float]) -> Callable[[], float]:
        def run() -> float:
            with dbs.engine() as (url, engine):
                return measure(url, engine)

        return run

    def inner_import(url: str, engine: Engine) -> float:
        with Session(engine) as session, session.begin():
            return timed(lambda: import_devices(session, path))

    def whole_import(url: str, engine: Engine) -> float:
        return command(url, "device", "import", str(path))

    figures = {
        BARE_INSERT: best(repeat, fresh(lambda url, engine: timed(lambda: bare_insert(engine, data)))),
        "import: import_devices()": best(repeat, fresh(inner_import)),
        "import: netraven device import (process)": best(repeat, fresh(whole_import)),
    }
    with dbs.engine() as (url, engine):
        bare_insert(engine, data)
        env = {"NETRAVEN_DATABASE__URL": url, "COLUMNS": "200"}

        def in_process(*args: str) -> float:
            def run() -> None:
                result = CliRunner().invoke(cli, list(args), env=env)
                assert result.exit_code == 0, result.output

            return timed(run)

        assert bare_select(engine) == 3 * len(data)
        figures[BARE_SELECT] = best(repeat, lambda: timed(lambda: bare_select(engine)))
        figures[BARE_PROCESS] = best(repeat, lambda: bare_process(url))
        for args in (("device", "list"), ("device", "list", "--json")):
            name = " ".join(args)
            figures[f"list: {name} (in process)"] = best(repeat, lambda args=args: in_process(*args))
            figures[f"list: {name} (process)"] = best(repeat, lambda args=args: command(url, *args))
        figures["reference: netraven --version (process start)"] = best(
            repeat, lambda: command(url, "--version")
        )
    database = "PostgreSQL" if dbs.admin is not None else "SQLite"
    print(f"{len(data)} devices, 3 tags each, {database}, best of {repeat}; ratios against the bare baseline")
    for name, seconds in figures.items():
        base = figures[BARE_INSERT if name.startswith("import") else BARE_SELECT]
        if name.startswith("reference"):
            print(f"  {name:<48} {seconds:7.3f} s")
            continue
        whole = name.startswith("list") and name.endswith("(process)")
        like = f"  {seconds / figures[BARE_PROCESS]:5.1f}x the bare process" if whole else ""
        print(f"  {name:<48} {seconds:7.3f} s  {seconds / base:5.1f}x{like}")


if __name__ == "__main__":
    main()
