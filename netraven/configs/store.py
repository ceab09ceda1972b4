"""The ConfigStore: a new DeviceConfiguration version only when the normalised config changed.

:meth:`ConfigStore.save` validates a fetched config, normalises and hashes it, and compares the hash
with the device's latest version: the same hash moves ``last_seen_at`` on; a new one stores version
``latest + 1`` with its diff, pending for git: :meth:`ConfigStore.commit_pending` writes a run's
changed devices in one commit, and whatever an earlier run could not write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netraven import audit
from netraven.configs import queries
from netraven.configs.git_history import DEFAULT_AUTHOR, GitHistory
from netraven.configs.git_sync import GitSync, commit_pending
from netraven.configs.normalize import config_hash, normalize, validate_config, volatile_rules
from netraven.configs.queries import Match, StoredConfig, VersionInfo
from netraven.db.base import utcnow
from netraven.db.models import Device, DeviceConfiguration, JobResult
from netraven.db.rows import update_device
from netraven.exceptions import DatabaseError, DeviceError, InventoryNotFound
from netraven.redaction import Redactor
from netraven.settings import Settings

DC = DeviceConfiguration

# The statements of every save, built once: a run saves thousands of configs.
_HOSTNAME = select(Device.hostname).where(Device.id == bindparam("device_id"))
_LATEST = (
    select(DC.id, DC.version, DC.normalized_hash)
    .where(DC.device_id == bindparam("device_id"))
    .order_by(DC.version.desc())
    .limit(1)
)
_TEXT = select(DC.config_text).where(DC.id == bindparam("version_id"))
_SEEN = update(DC).where(DC.id == bindparam("version_id")).values(last_seen_at=bindparam("seen"))
_INSERT = {  # a version's row, skipped when its (device, version) is taken: Core, the columns from the row
    name: dml.insert(DC.__table__)
    .on_conflict_do_nothing(index_elements=["device_id", "version"])
    .returning(DC.__table__.c.id)
    for name, dml in (("sqlite", sqlite), ("postgresql", postgresql))
}


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What :meth:`ConfigStore.save` did.

    ``new_text`` and ``previous_text`` are the texts as stored (redacted when ``redact_stored``);
    when unchanged, ``diff`` is empty, ``changed_lines`` 0 and ``previous_text`` None (the stored
    text is not read back); the first version of a device has no previous text and its diff is
    against ``/dev/null``.
    """

    changed: bool
    version: int
    previous_text: str | None
    new_text: str
    diff: str
    changed_lines: int


class ConfigStore:
    """Versioned device configs in the database and in git, per ``settings.backup``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.git = GitHistory(settings.git_dir)
        self._extra = tuple(settings.backup.volatile_patterns)
        volatile_rules("generic", self._extra)  # a bad pattern fails here, not in the middle of a run

    def __repr__(self) -> str:
        return f"ConfigStore(git_dir={str(self.git.path)!r})"

    # -- writing ---------------------------------------------------------------------------------

    def save(
        self,
        session: Session,
        device_id: int,
        raw_text: str,
        platform: str,
        run_id: int | None = None,
        redactor: Redactor | None = None,
        retrieved_at: datetime | None = None,
        command: str | None = None,
        unchecked: bool = False,
    ) -> SaveOutcome:
        """Store ``raw_text`` as ``device_id``'s config if it changed; see :class:`SaveOutcome`.

        Invalid output (empty, too short, a device error message, nothing like the platform's
        config unless ``unchecked``) raises :class:`DeviceError` and keeps the last good version.
        A new version records ``command`` (when not the platform's own) and ``unchecked`` in its
        ``details``. Also updates the device's ``last_backup_at``/``_status``.
        """
        connection = session.connection()  # Core statements, built once (see _LATEST): no ORM per call
        hostname = connection.execute(_HOSTNAME, {"device_id": device_id}).scalar()
        if hostname is None:
            raise InventoryNotFound(f"no device with id {device_id}")
        now = retrieved_at or utcnow()
        backup = self.settings.backup
        try:
            validate_config(raw_text, platform, backup.min_config_lines, hostname, markers=not unchecked)
        except DeviceError:
            _backed_up(session, device_id, now, "failed")
            raise
        _backed_up(session, device_id, now, "success")
        redactor = redactor or Redactor(platform=platform)
        compared = normalize(raw_text, platform, self._extra, backup.mask_secrets_for_compare, redactor)
        digest = config_hash(compared)
        stored = redactor.redact(raw_text) if backup.redact_stored else raw_text
        for attempt in (1, 2):
            latest = connection.execute(_LATEST, {"device_id": device_id}).one_or_none()
            if latest is not None and latest.normalized_hash == digest:
                connection.execute(_SEEN, {"version_id": latest.id, "seen": now})
                return SaveOutcome(False, latest.version, None, stored, "", 0)
            previous_text, version = None, 1
            if latest is not None:
                previous_text = connection.execute(_TEXT, {"version_id": latest.id}).scalar_one()
                version = latest.version + 1
            old = (version - 1, previous_text) if previous_text is not None else None
            diff, changed = queries.unified_diff(hostname, old, (version, stored), platform, self._extra)
            row = {
                "device_id": device_id,
                "version": version,
                "config_text": stored,
                "normalized_hash": digest,
                "retrieved_at": now,
                "last_seen_at": now,
                "size_bytes": len(stored.encode("utf-8")),
                "redacted": backup.redact_stored,
                "run_id": run_id,
                "changed_lines": changed if old else None,
                "details": {k: v for k, v in (("command", command), ("unchecked", unchecked)) if v},
                "git_pending": True,
            }
            if not _insert_version(session, row):  # another writer stored this version number first
                if attempt == 2:
                    raise DatabaseError(f"cannot store version {version} of {hostname!r}: concurrent writers")
                continue
            return SaveOutcome(True, version, previous_text, stored, diff, changed)
        raise AssertionError("unreachable")

    def commit_pending(
        self,
        session: Session,
        run_id: int | None = None,
        message: str | None = None,
        author: str = DEFAULT_AUTHOR,
    ) -> GitSync:
        """Commit every version not yet in git, one commit per run, and move renamed devices' files.

        Run ``run_id``'s versions make its commit ("NetRaven run 42: 2 devices changed"), with
        ``message`` as the body; versions an earlier run could not write go in commits of their
        own, before it. A failed write is reported in :attr:`GitSync.error`, never raised.
        """
        lease = self.settings.scheduler.lease_seconds
        return commit_pending(session, self.git, run_id, message, author, lease)

    def sync_git(self, session: Session) -> GitSync:
        """:meth:`commit_pending` on request (``netraven config sync-git``), in the audit trail."""
        synced = self.commit_pending(session)
        fields = {"commits": len(synced.commits), "written": synced.written, "superseded": synced.superseded}
        outcome = "failed" if synced.error else "succeeded"
        audit.record(session, "config.sync-git", "config", None, fields, outcome, synced.error)
        return synced

    # -- reading ---------------------------------------------------------------------------------

    def history(self, session: Session, device: str | int) -> list[VersionInfo]:
        """Every version of ``device`` (hostname or id), newest first, without texts."""
        return queries.history(session, device)

    def get(self, session: Session, device: str | int, version: int | None = None) -> StoredConfig:
        """Version ``version`` of ``device``'s config (the latest by default)."""
        return queries.get(session, device, version)

    def record_failures(self, session: Session, run_id: int) -> int:
        """Mark each device whose host failed in run ``run_id`` as a failed backup, at its result's
        time: a device that timed out or refused the login no longer shows its last success.

        Returns how many devices were marked. (A config that is not a config is marked by :meth:`save`.)
        """
        failed = select(JobResult.device_id).where(JobResult.run_id == run_id, JobResult.status == "failed")
        at = (
            select(JobResult.completed_at)
            .where(JobResult.run_id == run_id, JobResult.device_id == Device.id)
            .scalar_subquery()
        )
        mark = update(Device).where(Device.id.in_(failed))
        result = session.execute(
            mark.values(last_backup_status="failed", last_backup_at=at),
            execution_options={"synchronize_session": False},
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def diff(self, session: Session, device: str | int, v1: int | None = None, v2: int | None = None) -> str:
        """The unified diff from ``v1`` to ``v2`` (default: previous to latest), volatile lines left out."""
        return queries.diff(session, device, v1, v2, self._extra)

    def search(self, session: Session, pattern: str, context: int = 0) -> list[Match]:
        """Lines matching ``pattern`` (a regex) in every device's latest config."""
        return queries.search(session, pattern, context)


def _backed_up(session: Session, device_id: int, at: datetime, status: str) -> None:
    """Record a backup attempt on the device row: one UPDATE, no Device loaded for it."""
    update_device(session, device_id, last_backup_at=at, last_backup_status=status)


def _insert_version(session: Session, row: dict[str, Any]) -> bool:
    """Insert a version; False if its (device, version) is already taken.

    SQLite and PostgreSQL skip a conflicting row (ON CONFLICT DO NOTHING), so no savepoint is
    needed around the insert; elsewhere the unique constraint's error is caught in one.
    """
    connection = session.connection()
    statement = _INSERT.get(connection.dialect.name)
    if statement is not None:
        return connection.execute(statement, row).first() is not None
    try:
        with session.begin_nested():
            session.execute(insert(DC), [row])
    except IntegrityError:
        return False
    return True
