"""A backup run's wall time with notifications to a fast receiver, a hanging one and one that is down.

Issue #17: a receiver that is slow or down must not slow the run. Each round changes a few
devices' configs, then times ``run_job("backup", all)`` over a simulated fleet (some devices
refusing connections), with one rule sending every event (config_changed per device, run_failed)
to a webhook on loopback that answers at once ("fast"), never answers ("hanging": each attempt
waits the full timeout), or refuses connections ("down"). The run only queues its deliveries;
sender threads deliver them. Printed: each variant's median run time and its ratio to "fast"
(target: about 1.0), and what the delivery log holds once the senders are done (hanging and down
end ``failed`` after their retries). Usage:

    python benchmarks/notifications.py [--devices 40] [--dead 4] [--changed 5] [--rounds 3]

Baseline: the same runs with no notification rule at all. Each round changes the devices once,
then runs every variant, in alternating order. Run it on a quiet machine: it shares the cores
with the simulator.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from backup_throughput import store_fleet  # benchmarks/ is on sys.path when run as a script
from sqlalchemy import select

from netraven.db import create_engine_for_url
from netraven.db.models import NotificationDelivery
from netraven.db.session import create_session_factory
from netraven.jobs import Targets
from netraven.runner import run_job
from netraven.settings import Settings, load_settings
from netraven.simulator import start_fleet_process
from netraven.simulator.process import FleetProcess, free_base_address
from netraven_notify import wait_for_deliveries

TIMEOUT = 2.0  # seconds per delivery attempt
ATTEMPTS = 2
CHANGES = (f"logging host 10.77.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@contextmanager
def receiver(mode: str) -> Iterator[str]:
    """A webhook URL on loopback: "fast" answers 200 at once, "hanging" never answers, "down" refuses."""
    if mode == "down":
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        yield f"http://127.0.0.1:{port}/hook"  # nothing listens there once the socket is closed
        return
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if mode == "hanging":
                release.wait(600)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def settings_for(home: Path, url: str | None) -> Settings:
    environ = {"NETRAVEN_HOME": home.as_posix(), "NETRAVEN_CONNECTION__RETRY_ATTEMPTS": "1"}
    if url is not None:
        environ |= {
            "NETRAVEN_NOTIFICATIONS__CHANNELS": json.dumps({"hook": {"type": "webhook", "url": url}}),
            "NETRAVEN_NOTIFICATIONS__RULES": json.dumps({"everything": {"channels": ["hook"]}}),
            "NETRAVEN_NOTIFICATIONS__TIMEOUT": str(TIMEOUT),
            "NETRAVEN_NOTIFICATIONS__RETRY_ATTEMPTS": str(ATTEMPTS),
            "NETRAVEN_NOTIFICATIONS__RETRY_INITIAL_DELAY": "0.5",
        }
    return load_settings(environ=environ)


def change(fleet: FleetProcess, changed: list[str]) -> None:
    """Add a line no earlier round added to the ``changed`` devices."""
    line = next(CHANGES)
    for hostname in changed:
        fleet.configure(hostname, [line])


def timed_run(settings: Settings) -> float:
    start = time.perf_counter()
    run_job("backup", Targets.of(all=True), settings=settings)
    return time.perf_counter() - start


def delivery_log(settings: Settings) -> Counter[tuple[str, int]]:
    engine = create_engine_for_url(settings.database_url)
    try:
        with create_session_factory(engine)() as session:
            rows = session.execute(select(NotificationDelivery.status, NotificationDelivery.attempts)).all()
    finally:
        engine.dispose()
    return Counter((row.status, row.attempts) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--dead", type=int, default=4, help="devices refusing connections")
    parser.add_argument("--changed", type=int, default=5, help="devices whose config changes each round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="netraven-bench-notify-"))
    address, port = free_base_address(random.Random())
    failures = f"0-{args.dead - 1}:refuse" if args.dead else ""
    print(f"{args.devices} devices ({args.dead} refusing, {args.changed} changing), {args.rounds} rounds; "
          f"delivery timeout {TIMEOUT:g} s, {ATTEMPTS} attempts", flush=True)  # fmt: skip
    variants = ("no rule", "fast", "hanging", "down")
    times: dict[str, list[float]] = {variant: [] for variant in variants}
    with ExitStack() as stack:
        fleet = stack.enter_context(
            start_fleet_process(
                args.devices, workdir / "fleet", ("cisco_ios",), address, port, failures=failures
            )
        )
        changed = [d["hostname"] for d in fleet.devices[args.dead : args.dead + args.changed]]
        settings = {}
        for variant in variants:
            url = stack.enter_context(receiver(variant)) if variant != "no rule" else None
            settings[variant] = settings_for(workdir / variant.replace(" ", "-"), url)
            store_fleet(settings[variant], fleet)
            run_job("backup", Targets.of(all=True), settings=settings[variant])  # first versions: no change
        for round_ in range(args.rounds):  # every variant sees the same change; the order alternates
            change(fleet, changed)
            for variant in variants if round_ % 2 == 0 else reversed(variants):
                times[variant].append(timed_run(settings[variant]))
        drained = time.perf_counter()
        left = wait_for_deliveries(args.rounds * args.devices * ATTEMPTS * (TIMEOUT + 2))
        print(f"senders done {time.perf_counter() - drained:.1f} s after the last run ({left} open)")
    medians = {variant: statistics.median(figures) for variant, figures in times.items()}
    for variant in variants:
        log = ", ".join(
            f"{n} {status} after {attempts}"
            for (status, attempts), n in sorted(delivery_log(settings[variant]).items())
        )
        runs = ", ".join(f"{t:.2f}" for t in times[variant])
        print(f"  {variant:8} runs {runs} s; median {medians[variant]:.2f} s; delivery log: {log or 'empty'}")
    fast = medians["fast"]
    print("\nmedian run time, ratio to the fast receiver (target about 1.0: the run does not wait)")
    for variant, seconds in medians.items():
        print(f"  {variant:8}{seconds:8.2f} s{seconds / fast:8.2f}")


if __name__ == "__main__":
    sys.exit(main())
