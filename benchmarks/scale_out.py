"""Scale-out: one backup run spread over 1, 2 and 4 workers, its shards taken from one queue.

One simulator process serves --devices devices on loopback (cisco_ios, cisco_nxos, arista_eos,
juniper_junos in turn), each answering every command --latency seconds late (default 0.2, the
simulator's ``slow`` failure mode). For each worker count W, in one run of this script: a new
PostgreSQL database (migrated, the fleet stored with its credentials; not timed), a Redis queue of
its own, and W ``netraven worker --workers 1`` processes, each with a data directory of its own (as
on W machines; the first writes git), the same key file, --threads Nornir threads and
``runner.shard_size`` = --shard-size. Timed, wall clock: from queueing a backup run over every device
until it has ended (the workers were started before; git is committed by the first worker at its
next tick, not waited for). Checked: the run succeeded and every device has exactly one result.
Printed: seconds, devices/s, the ratio to one worker (baseline measured in the same script run), the
shards each worker ran and each worker's peak memory (VmHWM of its process). Target: 4 workers >= 3.5x
one worker. Latency-bound work scales with workers only while the machine has CPU for them: the
simulator and every worker share this machine's cores (printed), unlike W real machines; the
default 12 threads per worker keep four workers within two cores (README's figures).

    python benchmarks/scale_out.py [--devices 10000] [--workers-counts 1,2,4] [--threads 12]
        [--shard-size 250] [--latency 0.2] [--url postgresql://postgres@127.0.0.1/postgres]
        [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from netraven.db import create_engine_for_url, create_session_factory
from netraven.db.models import JobResult, JobRun, RunShard
from netraven.jobs import Targets, queue_run
from netraven.plugins import create_plugin_manager
from netraven.scheduler.queue import create_queue
from netraven.settings import load_settings
from netraven.simulator import PLATFORMS, start_fleet_process
from netraven.simulator.pytest_plugin import free_base_address

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup_throughput import machine, postgres_server, store_fleet  # the sibling benchmark's parts


def environment(home: Path, url: str, redis: str, queue: str, args: argparse.Namespace) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETRAVEN_")}
    return {**env, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": url,
            "NETRAVEN_HUEY__BACKEND": "redis", "NETRAVEN_HUEY__URL": redis, "NETRAVEN_HUEY__NAME": queue,
            "NETRAVEN_SCHEDULER__TICK_SECONDS": "5", "NETRAVEN_RUNNER__NUM_WORKERS": str(args.threads),
            "NETRAVEN_RUNNER__SHARD_SIZE": str(args.shard_size), "NETRAVEN_CONNECTION__READ_TIMEOUT": "60",
            "NETRAVEN_CONNECTION__TIMEOUT": "30"}  # fmt: skip


def start_workers(
    count: int, base: dict[str, str], root: Path, key_file: Path
) -> list[tuple[subprocess.Popen[bytes], Path]]:
    started = []
    for n in range(count):
        home = root / f"machine-{n}"
        home.mkdir(parents=True, exist_ok=True)
        env = {**base, "NETRAVEN_HOME": str(home), "NETRAVEN_CREDENTIALS__KEY_FILE": str(key_file)}
        if n:
            env["NETRAVEN_BACKUP__GIT_COMMIT"] = "false"
        log = home / "worker.log"
        with log.open("wb") as out:
            command = [sys.executable, "-m", "netraven", "worker", "--workers", "1"]
            process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        started.append((process, log))
    for process, log in started:
        deadline = time.monotonic() + 60
        while " started: " not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"a worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
    return started


def busy_seconds() -> float:
    """Core-seconds this machine has spent busy since boot (every process, the kernel's too)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_round(count: int, args: argparse.Namespace, fleet: Any, url: str, root: Path) -> dict[str, Any]:
    """Back up every device with ``count`` workers: seconds, shards per worker, peak memory, and
    CPU: the machine's busy core-seconds, the workers' and the simulator's, while the run ran."""
    queue_name = f"scale{uuid.uuid4().hex[:8]}"
    base = environment(root / "machine-0", url, args.redis, queue_name, args)
    settings = load_settings(environ=base)
    store_fleet(settings, fleet)
    workers = start_workers(count, base, root, settings.key_file)
    engine = create_engine_for_url(url)
    sessions = create_session_factory(engine)
    queue = create_queue(settings)
    try:
        with sessions.begin() as session:
            queued = queue_run(session, create_plugin_manager().job_types, "backup", Targets.of(all=True))
        cpu_before = busy_seconds(), sum(cpu_seconds(p.pid) for p, _ in workers), cpu_seconds(fleet.pid)
        started = time.monotonic()
        queue.enqueue_run(queued)
        while True:
            with sessions() as session:
                run = session.get_one(JobRun, queued.run_id)
                if run.status not in ("queued", "running"):
                    break
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"run {queued.run_id} did not end within {args.timeout} s")
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        cpu_after = busy_seconds(), sum(cpu_seconds(p.pid) for p, _ in workers), cpu_seconds(fleet.pid)
        cpu = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
        with sessions() as session:
            per_device = collections.Counter(
                session.scalars(select(JobResult.device_id).where(JobResult.run_id == run.id))
            )
            shards = collections.Counter(
                session.scalars(select(RunShard.worker).where(RunShard.run_id == run.id))
            )
        if run.status != "succeeded" or len(per_device) != args.devices or set(per_device.values()) != {1}:
            raise SystemExit(f"run {run.id} {run.status}: {len(per_device)} devices recorded, {run.message}")
        memory = [peak_memory_mb(process.pid) for process, _ in workers]
        return {"seconds": elapsed, "shards": sorted(shards.values(), reverse=True), "memory": memory,
                "cpu": cpu}  # fmt: skip
    finally:
        for process, _ in workers:
            process.terminate()
        for process, _ in workers:
            process.wait(60)
        queue.huey.flush()
        queue.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--workers-counts", default="1,2,4")
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--shard-size", type=int, default=250)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=3_600)
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers_counts.split(",")]
    cores = os.cpu_count() or 1
    print(f"scale-out: {args.devices} devices, every command {args.latency:g} s late, {args.threads} threads "
          f"per worker, shards of {args.shard_size}; {machine()}")  # fmt: skip
    figures: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="netraven-scale-") as tmp, postgres_server(args.url) as new_pg:
        if new_pg is None:
            raise SystemExit("this benchmark needs PostgreSQL")
        address, port = free_base_address(random.Random())
        failures = f"0-{args.devices - 1}:slow={args.latency:g}" if args.latency > 0 else ""
        started = time.monotonic()
        fleet_dir = Path(tmp) / "fleet"
        with start_fleet_process(args.devices, fleet_dir, PLATFORMS, address, port, failures=failures,
                                 ready_timeout=600) as fleet:  # fmt: skip
            print(f"simulator ready in {time.monotonic() - started:.0f} s (not timed)")
            for count in counts:
                figures[count] = one_round(count, args, fleet, new_pg(), Path(tmp) / f"workers-{count}")
                f = figures[count]
                rate = args.devices / f["seconds"]
                print(f"  {count} worker(s): {f['seconds']:.1f} s, {rate:.1f} devices/s, "
                      f"shards per worker {f['shards']}, peak memory per worker "
                      f"{', '.join(f'{m:.0f}' for m in f['memory'])} MB", flush=True)  # fmt: skip
                machine_ms, workers_ms, simulator_ms = (1000 * c / args.devices for c in f["cpu"])
                print(f"    CPU per device: machine {machine_ms:.0f} ms (workers {workers_ms:.0f}, simulator "
                      f"{simulator_ms:.0f}); machine busy {100 * f['cpu'][0] / f['seconds'] / cores:.0f}% "
                      f"of {cores} cores", flush=True)  # fmt: skip
    base = figures[counts[0]]["seconds"]
    print(f"\n{'workers':>8} {'seconds':>9} {'devices/s':>10} {'vs ' + str(counts[0]):>7}")
    for count, f in figures.items():
        rate, ratio = args.devices / f["seconds"], base / f["seconds"]
        print(f"{count:>8} {f['seconds']:>9.1f} {rate:>10.1f} {ratio:>6.2f}x")


if __name__ == "__main__":
    main()
