"""Importing legacy log files as JobLog rows grouped into JobRuns (``netraven migrate-logs``).

- **Rows**: one JobLog per entry (a line with its continuation lines, or a JSON object). The message
  and the JSON ``extra`` values pass through a :class:`~netraven.redaction.Redactor` with the
  platform patterns; ``extra`` keys that name a secret (password, key, community...) are masked whole.
  ``category`` is the entry's category, else its job type, else ``imported``. ``details`` keeps
  ``source: migrate-logs``, ``fingerprint``, ``file``, ``line``, ``logger``, the context as written
  (``session``, ``job_id``, ``hostname``, ``device_id``...: the old NetRaven's numbering) and ``extra``.
- **Devices**: by hostname (exact, else case-insensitive), else by ``device_id`` when that device
  exists; an unknown device leaves ``device_id`` NULL, its hostname stays in ``details``.
- **Runs**: entries with a session id form one JobRun per session, across files and imports; entries
  with a job id and no session one JobRun per job id and day (in the import's zone); others none.
  A run has ``triggered_by = migrate-logs``, ``job_id`` NULL, the job type the log names when it is a
  known one (else ``imported``), started/completed at its first/last entry, status ``succeeded``, or
  ``partial`` when any entry is ERROR or CRITICAL (the log cannot say whether the whole run failed),
  and ``parameters`` ``{source, imported_session}`` or ``{source, legacy_job_id, imported_day}``.
- **Idempotence**: the fingerprint is a sha256 of the stream (file path without rotation suffixes),
  the entry as stored (timestamp as written, level, logger, context, redacted message and extra) and
  how many identical entries come just before it (identical entries share a timestamp). Rotation and
  gzipping keep it, a file that grew imports only its new entries, and no secret can be recovered
  from it. Existing fingerprints are read per chunk of entries, in one query over the chunk's time
  span (the timestamp index), so a re-run must use the same zone for timestamps written without one.
- **Transactions**: one per file, oldest file of each stream first: a crash leaves every file
  imported whole or not at all, and running again completes the import. A file that cannot be read
  (a damaged gzip) is reported and rolled back alone. Files are written in chunks, so memory does
  not grow with their size.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, tzinfo
from hashlib import sha256
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from netraven.db.models import Device, JobLog, JobRun
from netraven.logimport.files import LogFile, find_log_files, read_lines
from netraven.logimport.parsing import LogEntry, Unparseable, parse_json, parse_text
from netraven.redaction import MASK, Redactor

SOURCE = "migrate-logs"
KNOWN_JOB_TYPES = frozenset({"backup", "command"})
MAX_PROBLEMS = 20  # unparseable lines listed in a report; all are counted
CHUNK_SIZE = 10_000  # entries written at a time, so memory does not grow with the file
_SECRET_KEY = re.compile(r"pass|secret|community|key|token", re.IGNORECASE)
# The run parameters that identify a group, by kind of group key.
_GROUP_PARAMETERS = {"session": ("imported_session",), "job": ("legacy_job_id", "imported_day")}

GroupKey = tuple[str, ...]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). ``problems`` are ``file:line: reason``."""

    files: int = 0
    imported: int = 0
    already_imported: int = 0
    unparseable: int = 0
    runs_created: int = 0
    problems: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def add(self, other: ImportReport) -> None:
        """Add the counts and problems of ``other`` (problems up to :data:`MAX_PROBLEMS`)."""
        for name in ("files", "imported", "already_imported", "unparseable", "runs_created"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems += other.problems[: MAX_PROBLEMS - len(self.problems)]
        self.unreadable += other.unreadable


def import_logs(
    sessions: sessionmaker[Session], log_dir: Path, tz: tzinfo, dry_run: bool = False
) -> ImportReport:
    """Import the log files under ``log_dir``; timestamps without a zone are in ``tz``.

    A dry run does all the work in one transaction and rolls it back, so its counts are exact.
    """
    report = ImportReport()
    with sessions() as session:
        importer = _Importer(session, tz)
        for file in find_log_files(log_dir):
            report.add(importer.import_file(file))
            if not dry_run:
                session.commit()
        if dry_run:
            session.rollback()
    return report


class _Row(NamedTuple):
    group: GroupKey | None
    job_type: str | None  # the job type the entry names, if any
    values: dict[str, Any]  # a JobLog row but its run_id


class _Occurrences:
    """Numbers identical entries in a row; they share a timestamp, so only its entries are kept."""

    def __init__(self) -> None:
        self.stamp = ""
        self.counts: Counter[str] = Counter()

    def count(self, stamp: str, identity: str) -> int:
        """How many entries identical to this one came since the timestamp last changed."""
        if stamp != self.stamp:
            self.stamp, self.counts = stamp, Counter()
        self.counts[identity] += 1
        return self.counts[identity] - 1


@dataclass
class _Run:
    id: int  # 0 until inserted
    job_type: str
    status: str
    started_at: datetime
    completed_at: datetime


class _Importer:
    """Imports files one by one, remembering devices and the runs of earlier imports."""

    def __init__(self, session: Session, tz: tzinfo) -> None:
        self.session, self.tz = session, tz
        self.redactor = Redactor()
        devices = session.execute(select(Device.id, Device.hostname)).all()
        self.device_ids = {device_id for device_id, _ in devices}
        self.hostnames = {hostname: device_id for device_id, hostname in devices}
        self.folded = {hostname.lower(): device_id for device_id, hostname in devices}
        self.runs = self._load_runs()

    def import_file(self, file: LogFile) -> ImportReport:
        """Import one file, in chunks, inside a savepoint: a file that cannot be read leaves nothing."""
        report = ImportReport(files=1)
        parse = parse_json if file.kind == "json" else parse_text
        seen = _Occurrences()
        chunk: list[_Row] = []
        try:
            with self.session.begin_nested():
                for item in parse(read_lines(file), self.tz):
                    if isinstance(item, Unparseable):
                        report.unparseable += 1
                        if len(report.problems) < MAX_PROBLEMS:
                            report.problems.append(f"{file.name}:{item.line}: {item.reason}")
                        continue
                    chunk.append(self._row(file, item, seen))
                    if len(chunk) == CHUNK_SIZE:
                        self._write(chunk, report)
                        chunk = []
                self._write(chunk, report)
        except (OSError, EOFError, zlib.error) as exc:
            self.runs = self._load_runs()  # forget the runs the file created or extended
            return ImportReport(unreadable=[f"{file.name}: {exc}"])
        return report

    def _write(self, rows: list[_Row], report: ImportReport) -> None:
        rows = self._not_yet_imported(rows, report)
        run_ids = self._runs_for(rows, report)
        values = [{**row.values, "run_id": run_ids[row.group] if row.group else None} for row in rows]
        if values:
            self.session.execute(insert(JobLog), values)
        report.imported += len(values)

    def _row(self, file: LogFile, entry: LogEntry, seen: _Occurrences) -> _Row:
        message = self.redactor.redact(entry.message)
        extra = {key: self._redact_value(key, value) for key, value in entry.extra.items()}
        stored = [file.stream, entry.stamp, entry.level, entry.logger, entry.context, message, extra]
        identity = json.dumps(stored, sort_keys=True)
        fingerprint = sha256(f"{seen.count(entry.stamp, identity)}\n{identity}".encode()).hexdigest()
        details = {"source": SOURCE, "fingerprint": fingerprint, "file": file.name, "line": entry.line}
        details.update({"logger": entry.logger} if entry.logger else {})
        details.update(entry.context)
        details.update({"extra": extra} if extra else {})
        job_type = _job_type(entry)
        values = {
            "timestamp": entry.timestamp,
            "level": entry.level,
            "category": (entry.context.get("category") or job_type or "imported")[:50],
            "message": message,
            "device_id": self._device_id(entry.context),
            "details": details,
        }
        return _Row(self._group(entry), job_type, values)

    def _redact_value(self, key: str, value: Any) -> Any:
        if _SECRET_KEY.search(key):
            return MASK
        if value is None or isinstance(value, bool | int | float):
            return value
        return self.redactor.redact(value if isinstance(value, str) else json.dumps(value))

    def _device_id(self, context: dict[str, str]) -> int | None:
        if hostname := context.get("hostname"):
            return self.hostnames.get(hostname) or self.folded.get(hostname.lower())
        legacy_id = context.get("device_id", "")
        return int(legacy_id) if legacy_id.isdigit() and int(legacy_id) in self.device_ids else None

    def _group(self, entry: LogEntry) -> GroupKey | None:
        if session := entry.context.get("session"):
            return ("session", session)
        if job_id := entry.context.get("job_id"):
            return ("job", job_id, entry.timestamp.astimezone(self.tz).date().isoformat())
        return None

    def _not_yet_imported(self, rows: list[_Row], report: ImportReport) -> list[_Row]:
        if not rows:
            return rows
        stamps = [row.values["timestamp"] for row in rows]
        start, end = min(stamps), max(stamps)
        fingerprint = JobLog.details["fingerprint"].as_string()
        query = select(fingerprint).where(JobLog.timestamp.between(start, end), fingerprint.is_not(None))
        existing = set(self.session.scalars(query))
        new = [row for row in rows if row.values["details"]["fingerprint"] not in existing]
        report.already_imported += len(rows) - len(new)
        return new

    def _runs_for(self, rows: list[_Row], report: ImportReport) -> dict[GroupKey, int]:
        """Run ids by group key: existing runs extended to cover ``rows``, new runs inserted."""
        groups: defaultdict[GroupKey, list[_Row]] = defaultdict(list)
        for row in rows:
            if row.group is not None:
                groups[row.group].append(row)
        created: list[tuple[GroupKey, _Run]] = []
        changed: list[_Run] = []
        for key, members in groups.items():
            run = self.runs.get(key)
            if run is None:
                first = members[0].values["timestamp"]
                run = self.runs[key] = _Run(0, "imported", "succeeded", first, first)
                created.append((key, run))
                _extend(run, members)
            elif _extend(run, members):
                changed.append(run)
        if created:
            values = [
                {
                    "job_type": run.job_type,
                    "status": run.status,
                    "started_at": run.started_at,
                    "completed_at": run.completed_at,
                    "triggered_by": SOURCE,
                    "parameters": _parameters(key),
                }
                for key, run in created
            ]
            statement = insert(JobRun).returning(JobRun.id, sort_by_parameter_order=True)
            for (_, run), run_id in zip(created, self.session.scalars(statement, values), strict=True):
                run.id = run_id
            report.runs_created += len(created)
        if changed:
            self.session.execute(update(JobRun), [asdict(run) for run in changed])
        return {key: self.runs[key].id for key in groups}

    def _load_runs(self) -> dict[GroupKey, _Run]:
        times = (JobRun.started_at, JobRun.completed_at)
        query = select(JobRun.id, JobRun.job_type, JobRun.status, *times, JobRun.parameters).where(
            JobRun.triggered_by == SOURCE
        )
        runs = {}
        for run_id, job_type, status, started_at, completed_at, parameters in self.session.execute(query):
            key = _group_of(parameters)
            if key and started_at and completed_at:
                runs[key] = _Run(run_id, job_type, status, started_at, completed_at)
        return runs


def _parameters(key: GroupKey) -> dict[str, str]:
    """The parameters of the run of a group: where it came from and the key identifying it."""
    return {"source": SOURCE, **dict(zip(_GROUP_PARAMETERS[key[0]], key[1:], strict=True))}


def _group_of(parameters: dict[str, Any]) -> GroupKey | None:
    """The group key in the parameters of a run :func:`_parameters` made."""
    for kind, names in _GROUP_PARAMETERS.items():
        if all(name in parameters for name in names):
            return (kind, *(str(parameters[name]) for name in names))
    return None


def _job_type(entry: LogEntry) -> str | None:
    """The job type an entry names: ``job_type=``, ``category=``, or a ``netraven.jobs.X`` logger."""
    logger = entry.logger or ""
    from_logger = logger.removeprefix("netraven.jobs.") if logger.startswith("netraven.jobs.") else None
    return entry.context.get("job_type") or entry.context.get("category") or from_logger


def _extend(run: _Run, rows: list[_Row]) -> bool:
    """Widen ``run`` to cover ``rows``: times, status, job type; whether anything changed."""
    before = asdict(run)
    stamps = [row.values["timestamp"] for row in rows]
    run.started_at, run.completed_at = min(run.started_at, *stamps), max(run.completed_at, *stamps)
    if any(row.values["level"] in ("ERROR", "CRITICAL") for row in rows):
        run.status = "partial"
    if run.job_type == "imported":
        run.job_type = next((row.job_type for row in rows if row.job_type in KNOWN_JOB_TYPES), "imported")
    return asdict(run) != before
