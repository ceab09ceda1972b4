"""``netraven prune`` on a long history, and how long a concurrent writer waits meanwhile.

Each database gets the history of ``tests/retention/history.py`` at its BIG scale (1,000 ended
runs with 99,000 job logs, 10,000 results and 3,000 transcripts, two open runs, 800 logs of no
run, 100 devices with 100 config versions each), then a prune with run_days 30, transcript_days 7,
config_versions 10, config_days 60 (about half of it goes). While it runs, a second thread inserts
a job log and commits every 20 ms, as a run's writer does, and records each insert's latency:
with batches of one short transaction each, its worst wait stays near one batch's time, far below
the whole prune's. The baseline is the same writer with no prune running.

    python benchmarks/retention_prune.py [--batch 1000] [--url postgresql://...]

The PostgreSQL database is created on the server of --url (default: postgres at 127.0.0.1:5432)
and dropped at the end; the SQLite file lives in a temporary directory.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from netraven.db import create_engine_for_url, migrate
from netraven.db.models import JobLog
from netraven.retention import prune
from netraven.settings import RetentionSettings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' history builder
from tests.retention.history import BIG, NOW, build


@contextmanager
def databases(url: str) -> Iterator[list[tuple[str, str]]]:
    name = f"netraven_prune_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with tempfile.TemporaryDirectory() as tmp, admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            pg = make_url(url).set(database=name).render_as_string(hide_password=False)
            yield [("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"), ("postgresql", pg)]
        finally:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def writer(engine: Engine, stop: threading.Event, waits: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(
                insert(JobLog), [{"run_id": None, "timestamp": NOW, "message": "live", "details": {}}]
            )
        waits.append(time.perf_counter() - started)
        stop.wait(0.02)


def measure(engine: Engine, settings: RetentionSettings | None) -> tuple[float, list[float], str]:
    stop, waits = threading.Event(), []
    thread = threading.Thread(target=writer, args=(engine, stop, waits))
    thread.start()
    started = time.perf_counter()
    if settings is None:
        time.sleep(1.0)
        what = "no prune"
    else:
        report = prune(sessionmaker(engine), settings, now=NOW)
        what = f"{report.total:,} rows in {report.batches} batches"
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    return elapsed, waits, what


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    policy = RetentionSettings(run_days=30, transcript_days=7, config_versions=10, config_days=60,
                               batch_size=args.batch)  # fmt: skip
    with databases(args.url) as urls:
        for kind, url in urls:
            engine = create_engine_for_url(url)
            try:
                migrate.upgrade(engine)
                build(engine, BIG)
                for label, settings in (("baseline", None), ("prune", policy)):
                    elapsed, waits, what = measure(engine, settings)
                    median, worst = statistics.median(waits) * 1000, max(waits) * 1000
                    print(f"{kind:10} {label:8} {elapsed:6.2f} s  {what:30} writer: {len(waits)} inserts, "
                          f"median {median:6.1f} ms, worst {worst:6.1f} ms")  # fmt: skip
            finally:
                engine.dispose()


if __name__ == "__main__":
    main()
