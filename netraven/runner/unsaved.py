"""Results that could not be stored: kept in ``logs/unsaved-results.jsonl``, replayed later.

When a host's rows cannot be written (the database went away, a constraint failed), the results
writer appends one JSON line with everything needed to write them again: the run, the device,
the error, and the host's whole record (its status, results, login attempts and transcript),
every text passed through the host's :class:`Redactor` so no secret is kept in clear. The file
is created readable by its owner only (0600).

:func:`replay_unsaved` writes those hosts through the same path a run uses (the job type's result
handler included, so a backup's config is stored), then updates each run's counts. A host whose
run already has its result is skipped: replaying twice writes nothing twice. A host that fails
again is appended afresh by the writer.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nornir.core.inventory import Host
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.connections.opener import Attempt
from netraven.db.base import utcnow
from netraven.db.models import Device, JobResult, JobRun
from netraven.db.session import create_session_factory
from netraven.jobs.base import RunContext
from netraven.jobs.events import RunInfo
from netraven.plugins import NetRavenPluginManager
from netraven.redaction import Redactor
from netraven.runner.record import HostRecord, ResultRecord
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

FILE = Path("logs") / "unsaved-results.jsonl"  # under the data directory
_lock = threading.Lock()  # one writer of the file per process


def unsaved_path(settings: Settings) -> Path:
    return settings.home / FILE


def keep_unsaved(path: Path, run: RunInfo, record: HostRecord, error: Exception, redactor: Redactor) -> None:
    """Append ``record`` (redacted) to the file at ``path``, created 0600."""
    entry = {"run_id": run.run_id, "at": utcnow().isoformat(), "host": record.name,
             "device_id": record.device_id, "job_type": run.job_type, "error": type(error).__name__,
             "report": _jsonable(_redacted(record, redactor))}  # fmt: skip
    line = json.dumps(entry, default=repr) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            os.fchmod(fd, 0o600)  # a file made before 0600 was the rule is tightened too
            handle.write(line)


@dataclass
class ReplayReport:
    """What a replay did: hosts stored, hosts already stored (skipped), and hosts that failed again."""

    stored: list[tuple[int, str]] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # run, host, why


def replay_unsaved(settings: Settings, engine: Engine, pm: NetRavenPluginManager) -> ReplayReport:
    """Store every host kept in the unsaved-results file; see the module docstring."""
    path = unsaved_path(settings)
    replaying = path.with_name(path.name + ".replaying")
    with _lock:
        if path.exists() and not replaying.exists():
            os.replace(path, replaying)  # what fails again is appended to a fresh file
    report = ReplayReport()
    if not replaying.exists():
        return report
    records = [
        json.loads(line) for line in replaying.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    sessions = create_session_factory(engine)
    by_run: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        by_run.setdefault(int(record["run_id"]), []).append(record)
    for run_id, items in sorted(by_run.items()):
        _replay_run(sessions, settings, pm, run_id, items, report)
    replaying.unlink()
    return report


def _replay_run(
    sessions: sessionmaker[Session],
    settings: Settings,
    pm: NetRavenPluginManager,
    run_id: int,
    records: list[dict[str, Any]],
    report: ReplayReport,
) -> None:
    from netraven.runner.reporter import Reporter  # the writer writes this file: imported here
    from netraven.runner.writer import ResultsWriter

    with sessions() as session:
        run = session.get(JobRun, run_id)
        if run is None:
            report.failed += [(run_id, r["host"], "the run no longer exists") for r in records]
            return
        job_cls = pm.job_types.job_type(run.job_type)
        info = RunInfo(
            run.id, run.job_id, run.job_type, job_cls.validate(run.parameters), run.triggered_by or ""
        )
        done = set(session.scalars(select(JobResult.hostname).where(JobResult.run_id == run_id)))
        platforms = {
            device_id: platform for device_id, platform in session.execute(select(Device.id, Device.platform))
        }
    todo = []
    for record in records:
        if record["host"] in done or "report" not in record:
            report.already.append((run_id, record["host"]))
            continue
        if record.get("device_id") not in platforms:
            report.failed.append((run_id, record["host"], "the device no longer exists"))
            continue
        todo.append(record)
    if not todo:
        return
    job = job_cls()
    with sessions.begin() as session:
        job.prepare(RunContext(session, settings, info))
    kept = [
        dataclasses.replace(_record(entry["report"]), platform=platforms[int(entry["device_id"])])
        for entry in todo
    ]
    hosts = {k.name: Host(k.name, platform=k.platform, data={"device_id": k.device_id}) for k in kept}
    reporter = Reporter(info, pm)
    for stored_outcome, notifications in ResultsWriter(info, job, sessions, settings, pm, hosts).store(kept):
        reporter.report(stored_outcome, notifications)
    with sessions.begin() as session:
        job.finish(RunContext(session, settings, info))
        stored = set(session.scalars(select(JobResult.hostname).where(JobResult.run_id == run_id)))
        _recount(session, run_id)
    for record in todo:
        if record["host"] in stored:
            report.stored.append((run_id, record["host"]))
        else:
            outcome = reporter.outcomes.get(record["host"])
            report.failed.append((run_id, record["host"], outcome.message if outcome else "not stored"))


def _recount(session: Session, run_id: int) -> None:
    """The run's host counts (and status, if it ended on its hosts) from its stored results."""
    counts = dict(
        session.execute(
            select(JobResult.status, func.count())
            .where(JobResult.run_id == run_id)
            .group_by(JobResult.status)
        ).all()
    )
    run = session.get(JobRun, run_id)
    assert run is not None
    failed = max(0, run.hosts_total - counts.get("succeeded", 0) - counts.get("skipped", 0))
    run.hosts_succeeded, run.hosts_failed = counts.get("succeeded", 0), failed
    if run.status in ("succeeded", "partial", "failed") and run.hosts_total:
        run.status = "succeeded" if not failed else "partial" if run.hosts_succeeded else "failed"


def _redacted(record: HostRecord, redactor: Redactor) -> HostRecord:
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redactor.redact(value)
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    results = [dataclasses.replace(r, result=clean(r.result), diff=clean(r.diff)) for r in record.results]
    attempts = [dataclasses.replace(a, message=clean(a.message)) for a in record.attempts]
    transcript = redactor.redact(record.transcript.decode("utf-8", "replace")).encode()
    return dataclasses.replace(record, message=clean(record.message), results=results, attempts=attempts,
                               transcript=transcript)  # fmt: skip


def _jsonable(record: HostRecord) -> dict[str, Any]:
    data = dataclasses.asdict(record)
    data["started_at"] = record.started_at.isoformat()
    data["completed_at"] = record.completed_at.isoformat()
    data["transcript"] = record.transcript.decode("utf-8", "replace")
    return data


def _record(data: dict[str, Any]) -> HostRecord:
    return HostRecord(
        **{
            **data,
            "results": [ResultRecord(**r) for r in data["results"]],
            "started_at": datetime.fromisoformat(data["started_at"]),
            "completed_at": datetime.fromisoformat(data["completed_at"]),
            "transcript": data["transcript"].encode(),
            "attempts": [Attempt(**a) for a in data["attempts"]],
            "unrecorded": [],  # counted when the host first failed to be stored
        }
    )
