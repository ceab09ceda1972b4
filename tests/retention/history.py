"""A database with a long history, built with bulk inserts, and what a policy must delete from it.

:data:`BIG`: 1,000 ended runs (ages 0.5 to 59.5 days; some failed, partial or cancelled, one ended
without a completion time), a running and a queued run 100 days old, 100,000 job logs (99 per
ended run, 100 per open run, 800 of no run), 10 results and 3 transcripts per run; 100 devices
with 100 config versions each (one a day, the latest seen now), every 17th marked ``keep`` on a
third of the devices, the two newest and one old version of the first device pending for git.
:data:`SMALL` is the same, smaller. The expected counts come from this description, not from the
SQL under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from netraven.db.models import ConnectionLog, Device, DeviceConfiguration, JobLog, JobResult, JobRun

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
RESULTS, TRANSCRIPTS = 10, 3


@dataclass(frozen=True)
class Scale:
    runs: int
    logs_per_run: int
    open_logs: int
    orphans: int
    devices: int
    versions: int


BIG = Scale(runs=1_000, logs_per_run=99, open_logs=100, orphans=800, devices=100, versions=100)
SMALL = Scale(runs=120, logs_per_run=4, open_logs=5, orphans=80, devices=10, versions=40)
TABLES = {
    "runs": JobRun,
    "results": JobResult,
    "job logs": JobLog,
    "transcripts": ConnectionLog,
    "config versions": DeviceConfiguration,
}


@dataclass(frozen=True)
class History:
    scale: Scale
    running: int  # run ids
    queued: int
    ended: dict[int, float]  # run id -> age in days (ended runs)
    orphan_ages: list[float]  # job logs of no run, age in days
    versions: dict[
        tuple[int, int], tuple[bool, bool, float]
    ]  # (device, version) -> keep, pending, unseen days


def _age(run: int) -> float:
    return run % 60 + 0.5


def build(engine: Engine, scale: Scale) -> History:
    """Fill ``engine``'s empty database; returns what was put there."""
    with engine.begin() as conn:
        conn.execute(insert(Device), [{"hostname": f"r{d}", "host": "127.0.0.1", "platform": "cisco_ios"}
                                      for d in range(1, scale.devices + 1)])  # fmt: skip
        device_ids = list(conn.scalars(select(Device.id).order_by(Device.id)))
        runs: list[dict[str, Any]] = []
        for n in range(1, scale.runs + 1):
            status = {0: "failed", 1: "cancelled", 2: "partial"}.get(n % 10, "succeeded")
            at = NOW - timedelta(days=_age(n))
            runs.append({"job_type": "backup", "status": status, "created_at": at - timedelta(minutes=5),
                         "completed_at": None if n == 7 else at})  # fmt: skip
        old = NOW - timedelta(days=100)
        runs += [{"job_type": "backup", "status": s, "created_at": old, "completed_at": None}
                 for s in ("running", "queued")]  # fmt: skip
        conn.execute(insert(JobRun), runs)
        run_ids = list(conn.scalars(select(JobRun.id).order_by(JobRun.id)))
        ended, (running, queued) = run_ids[: scale.runs], run_ids[scale.runs :]
        logs = [{"run_id": run, "timestamp": NOW, "message": f"line {i}", "details": {}}
                for run in ended for i in range(scale.logs_per_run)]  # fmt: skip
        logs += [{"run_id": run, "timestamp": old, "message": f"line {i}", "details": {}}
                 for run in (running, queued) for i in range(scale.open_logs)]  # fmt: skip
        orphan_ages = [i % 80 + 0.25 for i in range(scale.orphans)]
        logs += [{"run_id": None, "timestamp": NOW - timedelta(days=age), "message": "imported", "details": {}}
                 for age in orphan_ages]  # fmt: skip
        conn.execute(insert(JobLog), logs)
        conn.execute(insert(JobResult), [
            {"run_id": run, "hostname": f"r{i}", "status": "succeeded", "completed_at": NOW, "output": {}}
            for run in run_ids for i in range(RESULTS)
        ])  # fmt: skip
        conn.execute(insert(ConnectionLog), [
            {"run_id": run, "hostname": f"r{i}", "transcript": "r1#show run\n", "timestamp": NOW}
            for run in run_ids for i in range(TRANSCRIPTS)
        ])  # fmt: skip
        versions: dict[tuple[int, int], tuple[bool, bool, float]] = {}
        rows = []
        for d, device in enumerate(device_ids, 1):
            for v in range(1, scale.versions + 1):
                keep = d % 3 == 0 and v % 17 == 0
                pending = d == 1 and v in (5, scale.versions - 1, scale.versions)
                unseen = 0.0 if v == scale.versions else scale.versions - v - 1 + 1 / 24
                versions[(device, v)] = (keep, pending, unseen)
                rows.append({
                    "device_id": device, "version": v, "config_text": f"hostname r{d}\n! v{v}\n",
                    "normalized_hash": f"{d}-{v}", "retrieved_at": NOW - timedelta(days=scale.versions - v),
                    "last_seen_at": NOW - timedelta(days=unseen), "size_bytes": 20,
                    "run_id": ended[(v * 10 - 1) % scale.runs], "git_pending": pending, "keep": keep, "details": {},
                })  # fmt: skip
        conn.execute(insert(DeviceConfiguration), rows)
    return History(
        scale, running, queued, {run: _age(i) for i, run in enumerate(ended, 1)}, orphan_ages, versions
    )


def expected(
    history: History, run_days: int, transcript_days: int, newest: int, seen_days: int
) -> dict[str, int]:
    """What a policy deletes from ``history``, counted from its description."""
    scale = history.scale
    gone = [run for run, age in history.ended.items() if run_days and age > run_days]
    transcript_cut = min(d for d in (transcript_days, run_days, 10**9) if d)
    counts = {
        "runs": len(gone),
        "results": len(gone) * RESULTS,
        "job logs": len(gone) * scale.logs_per_run
        + sum(1 for age in history.orphan_ages if run_days and age > run_days),
        "transcripts": TRANSCRIPTS * sum(1 for age in history.ended.values() if age > transcript_cut),
        "config versions": 0,
    }
    if newest or seen_days:
        for (_, version), (keep, pending, unseen) in history.versions.items():
            rank = scale.versions - version + 1
            old = not seen_days or unseen > seen_days
            if rank > max(1, newest) and old and not keep and not pending:
                counts["config versions"] += 1
    return counts


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            kind: conn.scalar(select(func.count()).select_from(model)) or 0 for kind, model in TABLES.items()
        }
