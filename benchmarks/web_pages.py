"""Server time of the inventory pages, against the health endpoint, in one ``netraven serve`` run.

The pages: the devices table (a page of 100 from the middle of a --devices inventory, sorted by
name; and the same filtered by text and status and sorted by last backup), the page of a device
with --versions config versions (its newest 20, its run history and transcripts), and the
side-by-side diff of that device's first and last versions (each ~300 lines, 48 changed). The
baseline is ``GET /api/v1/health`` (public, almost no work).

How it is measured: one server process; one client on one keep-alive connection sends each URL
--requests times in turn after a warm-up (so no request waits for another: the time is the
server's, plus the loopback round trip the baseline pays too), with the session cookie of a
logged-in viewer, as a browser sends it. Printed per URL: p50 and p95 in ms, errors (anything but
200), and p95 as a multiple of health's. Target (#15): each page's p95 <= 5x health's p95. Usage:

    python benchmarks/web_pages.py [--devices 10000] [--versions 10000] [--requests 300]
                                   [--url postgresql://...]

Without --url the data sit in a new SQLite file; with it, in a throw-away PostgreSQL database on
that server, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import httpx
from api_latency import BUSY, T0, populate, server  # benchmarks/ is on sys.path when run as a script
from config_queries import postgres_database
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session

from netraven import users
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, Tag, device_tags
from netraven.settings import Settings, load_settings
from netraven.web.deps import SESSION_COOKIE

PASSWORD = "benchmark password 1234"
TAGS = [f"site-{n}" for n in range(20)] + ["core", "access", "edge"]
PAGES = ("devices page (100)", "devices filtered", "device detail", "diff first..last")


def decorate(engine: Engine) -> None:
    """Two tags on every device and a last backup (one in ten failed), as a real fleet has."""
    with engine.begin() as conn:
        conn.execute(insert(Tag), [{"name": name, "type": "custom"} for name in TAGS])
        tag_ids = list(conn.execute(select(Tag.id).order_by(Tag.id)).scalars())
        device_ids = list(conn.execute(select(Device.id).order_by(Device.id)).scalars())
        links = [{"device_id": d, "tag_id": tag_ids[i % 20]} for i, d in enumerate(device_ids)] + [
            {"device_id": d, "tag_id": tag_ids[20 + i % 3]} for i, d in enumerate(device_ids)
        ]
        for start in range(0, len(links), 5000):
            conn.execute(insert(device_tags), links[start : start + 5000])
        for status, remainder in (("success", 1), ("failed", 0)):
            picked = Device.id % 10 == 0 if remainder == 0 else Device.id % 10 != 0
            conn.execute(
                update(Device)
                .where(picked)
                .values(last_backup_status=status, last_backup_at=T0 + timedelta(days=1))
            )


def browser_session(engine: Engine, settings: Settings) -> str:
    """The session cookie of a new viewer, as the login page sets it."""
    with Session(engine) as session, session.begin():
        users.add_user(session, settings, "bench", PASSWORD, "viewer")
        principal = users.authenticate(session, settings, "bench", PASSWORD)
        cookie, _ = users.open_browser_session(session, settings, principal)
    return cookie


def measure(http: httpx.Client, path: str, requests: int) -> dict[str, float]:
    """``requests`` sequential GETs of ``path``: p50 and p95 in ms, and errors."""
    for _ in range(min(20, requests)):
        http.get(path)
    latencies, errors = [], 0
    for _ in range(requests):
        start = time.perf_counter()
        response = http.get(path)
        latencies.append((time.perf_counter() - start) * 1000)
        errors += response.status_code != 200
    return {
        "p50": statistics.median(latencies),
        "p95": statistics.quantiles(latencies, n=20)[18],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="per URL")
    parser.add_argument("--url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netraven-bench-") as folder:
        home = Path(folder)
        database = (
            postgres_database(args.url) if args.url else nullcontext(f"sqlite:///{home / 'bench.sqlite3'}")
        )
        with database as url:
            env = {**os.environ, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": url,
                   "NETRAVEN_LOGGING__LEVEL": "WARNING"}  # fmt: skip
            env.pop("NETRAVEN_CONFIG", None)
            settings = load_settings(environ=env)
            engine = create_engine_for_url(url)
            migrate.upgrade(engine)
            started = time.perf_counter()
            populate(engine, args.devices, args.versions)
            decorate(engine)
            if engine.dialect.name == "postgresql":  # statistics, as autovacuum gathers after such inserts
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("ANALYZE")
            cookie = browser_session(engine, settings)
            engine.dispose()
            print(f"{args.devices} devices (2 tags each), {args.versions} versions of {BUSY} "
                  f"({url.split(':')[0]}) in {time.perf_counter() - started:.1f} s")  # fmt: skip
            print(f"one server process, one client, {args.requests} sequential requests per URL "
                  "after 20 warm-up ones, a viewer's session cookie")  # fmt: skip
            middle = max(1, args.devices // 200)
            urls = {
                "health": "/api/v1/health",
                "devices page (100)": f"/devices?page={middle}",
                "devices filtered": "/devices?q=dev-0&status=success&sort=-last_backup_at&page=2",
                "device detail": f"/devices/{BUSY}",
                "diff first..last": f"/devices/{BUSY}/diff?a=1&b={args.versions}",
            }
            with server(env) as base, httpx.Client(base_url=base, cookies={SESSION_COOKIE: cookie}) as http:
                results = {name: measure(http, path, args.requests) for name, path in urls.items()}
    health = results["health"]["p95"]
    print(f"{'URL':22}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'p95/health':>12}")
    for name, r in results.items():
        print(f"{name:22}{r['p50']:9.1f}{r['p95']:9.1f}{r['errors']:8.0f}{r['p95'] / health:12.2f}")
    ok = all(results[n]["p95"] <= 5 * health for n in PAGES) and not any(
        r["errors"] for r in results.values()
    )
    print(
        "target met: each page's p95 <= 5x health's"
        if ok
        else "target NOT met: each page's p95 <= 5x health's"
    )


if __name__ == "__main__":
    main()
