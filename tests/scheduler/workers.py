"""Real worker processes (``python -m netraven worker``) against simulated devices.

A :class:`WorkerLab` is one data directory, one migrated database (SQLite or PostgreSQL), one
queue backend (SqliteHuey, PostgresHuey or PriorityRedisHuey) and a simulated fleet tagged
``lab``; its workers are subprocesses configured by ``NETRAVEN_*`` variables alone, killed at
teardown whatever happened. Every wait is bounded.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from netraven.db import create_engine_for_url, create_session_factory, migrate
from netraven.db.models import JobResult, JobRun
from netraven.jobs import Schedule, create_job
from netraven.plugins import create_plugin_manager
from netraven.scheduler.queue import create_queue
from netraven.settings import load_settings
from netraven.simulator.process import FleetProcess
from tests.inventory_plugin.conftest import load_fleet

FAST = {
    "NETRAVEN_CONNECTION__TIMEOUT": "3",
    "NETRAVEN_CONNECTION__AUTH_TIMEOUT": "5",
    "NETRAVEN_CONNECTION__BANNER_TIMEOUT": "3",
    "NETRAVEN_CONNECTION__READ_TIMEOUT": "10",
    "NETRAVEN_CONNECTION__RETRY_ATTEMPTS": "1",
    "NETRAVEN_CONNECTION__HOST_TIME_LIMIT": "30",
}
T = TypeVar("T")
REDIS_URL = os.environ.get("NETRAVEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# backend: (database kind, huey settings)
BACKENDS = {
    "sqlite": ("sqlite", {"NETRAVEN_HUEY__BACKEND": "sqlite"}),
    "postgres": ("postgresql", {"NETRAVEN_HUEY__BACKEND": "postgres"}),
    "redis": ("postgresql", {"NETRAVEN_HUEY__BACKEND": "redis", "NETRAVEN_HUEY__URL": REDIS_URL}),
}


class Worker:
    """One ``netraven worker`` subprocess, its output in a log file; started before it returns
    unless ``wait`` is false (then :meth:`wait_started`, so several start side by side)."""

    def __init__(self, env: dict[str, str], log: Path, args: tuple[str, ...], wait: bool = True) -> None:
        self.log_path = log
        with log.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "netraven", "worker", *args], env=env,
                                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=log.parent)  # fmt: skip
        if wait:
            self.wait_started()

    def wait_started(self, timeout: float = 30) -> None:
        status = self.process.poll
        wait_until(lambda: " started: " in self.log() or status() is not None, timeout, "worker start")
        assert self.process.poll() is None, self.log()

    @property
    def name(self) -> str:
        return f"{os.uname().nodename}:{self.process.pid}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def signal(self, signum: int, timeout: float = 40) -> int:
        """Send ``signum`` and wait for the exit status."""
        self.process.send_signal(signum)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class WorkerLab:
    def __init__(self, home: Path, db_url: str, backend: str, fleet: FleetProcess, **env: str) -> None:
        huey_env = BACKENDS[backend][1]
        self.env = {**os.environ, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": db_url, **FAST,
                    "NETRAVEN_HUEY__NAME": f"nr{uuid.uuid4().hex[:10]}", "NETRAVEN_SCHEDULER__TICK_SECONDS": "2",
                    "NETRAVEN_SCHEDULER__LEASE_SECONDS": "4", **huey_env, **env}  # fmt: skip
        self.env.pop("NETRAVEN_CONFIG", None)
        self.home, self.fleet, self.workers = home, fleet, list[Worker]()
        self.settings = load_settings(environ=self.env)
        self.engine = create_engine_for_url(db_url)
        migrate.upgrade(self.engine)
        self.sessions = create_session_factory(self.engine)
        load_fleet(self.engine, self.settings, fleet.devices, fleet.credentials, fleet.description["secret"])

    def start_worker(self, *args: str) -> Worker:
        worker = Worker(self.env, self.home / f"worker-{len(self.workers) + 1}.log", args)
        self.workers.append(worker)
        return worker

    def create_job(self, name: str, schedule: Schedule, **options: Any) -> int:
        with self.sessions.begin() as session:
            job = create_job(session, name=name, job_type="backup", job_types=create_plugin_manager().job_types,
                             tags=["lab"], schedule=schedule, **options)  # fmt: skip
            session.flush()
            return job.id

    def runs(self, job_id: int | None = None) -> list[JobRun]:
        query = select(JobRun).options(selectinload(JobRun.results)).order_by(JobRun.id)
        if job_id is not None:
            query = query.where(JobRun.job_id == job_id)
        with self.sessions() as session:
            return list(session.scalars(query))

    def results(self) -> list[JobResult]:
        with self.sessions() as session:
            return list(session.scalars(select(JobResult)))

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()
        if self.settings.huey.backend == "redis":
            queue = create_queue(self.settings)
            queue.huey.flush()
            queue.close()
        self.engine.dispose()


def sessions_open(lab: WorkerLab) -> int:
    """The established TCP connections to the lab's devices (from /proc/net/tcp)."""
    devices = {(d["host"], int(d["port"])) for d in lab.fleet.devices}
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address, port = fields[2].split(":")
        remote = (str(ipaddress.IPv4Address(int(address, 16).to_bytes(4, "little"))), int(port, 16))
        count += fields[3] == "01" and remote in devices  # 01: ESTABLISHED
    return count


def wait_until(predicate: Callable[[], T], timeout: float, what: str, interval: float = 0.1) -> T:
    """The predicate's first true value, asked every ``interval`` s for at most ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
    return value


def seconds(later: datetime | None, earlier: datetime | None) -> float:
    assert later is not None and earlier is not None
    return (later - earlier).total_seconds()


def utc_now() -> datetime:
    return datetime.now(UTC)


def require_redis() -> None:
    import redis

    try:
        with redis.Redis.from_url(REDIS_URL) as client:
            client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture
def worker_lab(
    tmp_path: Path, new_database_url: Callable[[str], str], simulated_fleet: Callable[..., FleetProcess]
) -> Iterator[Callable[..., WorkerLab]]:
    """Factory ``(backend, devices=2, failures="", **NETRAVEN_env) -> WorkerLab``."""
    labs: list[WorkerLab] = []

    def make(backend: str, devices: int = 2, failures: str = "", **env: str) -> WorkerLab:
        if backend == "redis":
            require_redis()
        fleet = simulated_fleet(devices, failures=failures)
        lab = WorkerLab(
            tmp_path / f"home-{len(labs)}", new_database_url(BACKENDS[backend][0]), backend, fleet, **env
        )
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.close()


SIGTERM, SIGKILL, SIGINT = signal.SIGTERM, signal.SIGKILL, signal.SIGINT
