"""HTTP API latency under 50 concurrent clients, one ``netraven serve`` process, same run.

Five endpoints, each for --requests requests from --clients concurrent clients (asyncio + httpx,
one connection each): ``GET /api/v1/health`` (public: the baseline of a request that does almost
nothing), ``GET /api/v1/auth/me`` (what checking the token alone costs), a 100-device page of
a --devices inventory (from its middle), the newest 50 versions of a device with --versions
config versions (with their total), and the diff between that device's first and last versions.
The API calls carry a personal API token (checked on every request).
Printed per endpoint: requests/s, p50 and p95 latency, errors (anything but 200 counts), and p95 as
a multiple of health's. Targets (#14): the device page and the history at p95 <= 3x health's p95;
50 concurrent clients served without an error. Usage:

    python benchmarks/api_latency.py [--devices 10000] [--versions 10000] [--clients 50]
                                     [--requests 2000] [--url postgresql://...]

Without --url the data sit in a new SQLite file; with it, in a throw-away PostgreSQL database on
that server, dropped at the end. The load generator shares the machine with the server: on a
small machine the absolute figures are the client's as much as the server's; the ratios hold.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from config_queries import postgres_database, versions  # benchmarks/ is on sys.path when run as a script
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from netraven import users
from netraven.configs import config_hash
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, DeviceConfiguration
from netraven.settings import load_settings

PLATFORMS = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"]
BUSY = "busy-core"  # the device with many versions
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PASSWORD = "benchmark password 1234"


def populate(engine: Engine, devices: int, count: int) -> None:
    """``devices`` devices (the first, BUSY, with ``count`` config versions), by bare inserts."""
    with engine.begin() as conn:
        rows = [
            {"hostname": f"dev-{i:05d}" if i else BUSY, "host": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
             "port": 22, "platform": PLATFORMS[i % 4], "enabled": True, "data": {}}
            for i in range(devices)
        ]  # fmt: skip
        for start in range(0, len(rows), 1000):
            conn.execute(insert(Device), rows[start : start + 1000])
        busy = conn.exec_driver_sql(f"SELECT id FROM devices WHERE hostname = '{BUSY}'").scalar_one()
        batch: list[dict[str, Any]] = []
        for n, config in versions(BUSY, count):
            when = T0 + timedelta(hours=n)
            batch.append(
                {"device_id": busy, "version": n, "config_text": config, "size_bytes": len(config),
                 "normalized_hash": config_hash(config), "retrieved_at": when, "last_seen_at": when,
                 "redacted": False, "changed_lines": 2 if n > 1 else None, "details": {}}
            )  # fmt: skip
            if len(batch) == 1000 or n == count:
                conn.execute(insert(DeviceConfiguration), batch)
                batch = []


def api_token(engine: Engine, settings: Any) -> str:
    """A personal API token of a new viewer."""
    with Session(engine) as session, session.begin():
        users.add_user(session, settings, "bench", PASSWORD, "viewer")
        principal = users.authenticate(session, settings, "bench", PASSWORD)
        _, secret = users.create_api_token(session, principal, "benchmark")
    return secret


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    """``netraven serve`` (one process) on a free port of 127.0.0.1; killed on exit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "netraven", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"netraven serve exited with status {process.returncode}")
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit("netraven serve did not answer within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.kill()
        process.wait(15)


async def load(
    base: str, path: str, headers: dict[str, str], clients: int, requests: int
) -> dict[str, float]:
    """``requests`` GETs of ``path`` from ``clients`` concurrent clients: rate, p50/p95 (ms), errors."""
    latencies: list[float] = []
    errors = 0
    left = requests

    async def client() -> None:
        nonlocal left, errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
            while left > 0:
                left -= 1
                start = time.perf_counter()
                try:
                    response = await http.get(path)
                    errors += response.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - start) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=20)
    return {
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": cuts[18],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
    parser.add_argument("--url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netraven-bench-") as folder:
        home = Path(folder)
        database = (
            postgres_database(args.url) if args.url else nullcontext(f"sqlite:///{home / 'bench.sqlite3'}")
        )
        with database as url:
            env = {
                **os.environ,
                "NETRAVEN_HOME": str(home),
                "NETRAVEN_DATABASE__URL": url,
                "NETRAVEN_LOGGING__LEVEL": "WARNING",
            }
            env.pop("NETRAVEN_CONFIG", None)
            settings = load_settings(environ=env)
            engine = create_engine_for_url(url)
            migrate.upgrade(engine)
            started = time.perf_counter()
            populate(engine, args.devices, args.versions)
            token = api_token(engine, settings)
            engine.dispose()
            took = time.perf_counter() - started
            print(f"{args.devices} devices, {args.versions} versions of {BUSY} ({url.split(':')[0]}) in "
                  f"{took:.1f} s; {args.clients} clients, {args.requests} requests each")  # fmt: skip
            middle = max(0, args.devices // 2 - 50)
            auth = {"Authorization": f"Bearer {token}"}
            endpoints = {
                "health": ("/api/v1/health", {}),
                "who am I (auth only)": ("/api/v1/auth/me", auth),
                "device page (100)": (f"/api/v1/devices?limit=100&offset={middle}", auth),
                "config history (50)": (f"/api/v1/configs/{BUSY}/versions?limit=50", auth),
                "diff first..last": (f"/api/v1/configs/{BUSY}/diff?from=1&to={args.versions}", auth),
            }
            with server(env) as base:
                results = {}
                for name, (path, headers) in endpoints.items():
                    asyncio.run(load(base, path, headers, args.clients, min(100, args.requests)))  # warm-up
                    results[name] = asyncio.run(load(base, path, headers, args.clients, args.requests))
    health = results["health"]["p95"]
    print(f"{'endpoint':24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'p95/health':>12}")
    for name, r in results.items():
        ratio = r["p95"] / health
        print(f"{name:24}{r['rate']:9.0f}{r['p50']:9.1f}{r['p95']:9.1f}{r['errors']:8.0f}{ratio:12.2f}")
    ok = all(results[n]["p95"] <= 3 * health for n in ("device page (100)", "config history (50)"))
    ok = ok and not any(r["errors"] for r in results.values())
    print("targets met" if ok else "targets NOT met: device page and history p95 <= 3x health's, no error")


if __name__ == "__main__":
    main()
