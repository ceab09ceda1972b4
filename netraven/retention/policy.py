"""What a retention policy selects: ended runs older than a cutoff, and config versions outside
the newest N of their device and not seen within D days.

The selections are SQL, computed from one ``now`` so a prune's batches agree with each other and
with its dry run. Never selected: a run still queued or running (or its rows), the latest version
of a device, a version marked ``keep``, a version not yet in git (``git_pending``: its text would
never reach the history; the next prune after the git sync takes it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, func, select

from netraven.db.models import DeviceConfiguration, JobLog, JobRun
from netraven.exceptions import ConfigError
from netraven.settings import RANGES, RetentionSettings

DC = DeviceConfiguration
ACTIVE = ("queued", "running")  # a run in one of these has not ended: never pruned
KINDS = ("runs", "results", "job logs", "transcripts", "config versions")


@dataclass(frozen=True, slots=True)
class Policy:
    """The cutoffs of one prune: ``settings.retention`` applied at ``now`` (UTC)."""

    settings: RetentionSettings
    now: datetime

    def __post_init__(self) -> None:
        check(self.settings)

    @property
    def empty(self) -> bool:
        """Nothing to delete whatever the data: every retention setting keeps everything."""
        s = self.settings
        return not (s.run_days or s.transcript_days or s.config_versions or s.config_days)

    def cutoff(self, days: int) -> datetime | None:
        """``now`` less ``days``, or None when ``days`` is 0 (kept forever)."""
        return self.now - timedelta(days=days) if days else None

    def runs(self) -> Select[int] | None:
        """Ids of the ended runs to delete with their rows (None: runs are kept)."""
        return _ended_before(self.cutoff(self.settings.run_days))

    def transcript_runs(self) -> Select[int] | None:
        """Ids of the ended runs whose transcripts go: older than the transcripts' or the runs' cutoff."""
        cutoffs = [
            c for c in (self.cutoff(self.settings.transcript_days), self.cutoff(self.settings.run_days)) if c
        ]
        return _ended_before(max(cutoffs)) if cutoffs else None

    def orphan_logs(self) -> ColumnElement[bool] | None:
        """Job logs of no run (imported from log files) as old as the runs that go."""
        cutoff = self.cutoff(self.settings.run_days)
        return None if cutoff is None else JobLog.run_id.is_(None) & (JobLog.timestamp < cutoff)

    def config_versions(self) -> Select[int] | None:
        """Ids of the config versions to delete (None: versions are kept).

        A version goes when it is outside its device's newest ``config_versions`` (when set) and
        was last seen by a backup more than ``config_days`` ago (when set); never the latest, a
        ``keep`` one or one still pending for git.
        """
        s = self.settings
        if not (s.config_versions or s.config_days):
            return None
        newest_first = func.row_number().over(partition_by=DC.device_id, order_by=DC.version.desc())
        ranked = select(
            DC.id, DC.keep, DC.git_pending, DC.last_seen_at, newest_first.label("rank")
        ).subquery()
        query = select(ranked.c.id).where(
            ranked.c.rank > max(1, s.config_versions), ~ranked.c.keep, ~ranked.c.git_pending
        )
        seen_before = self.cutoff(s.config_days)
        if seen_before is not None:
            query = query.where(ranked.c.last_seen_at < seen_before)
        return query.order_by(ranked.c.id)


def check(settings: RetentionSettings) -> None:
    """Refuse a policy built in code with a value ``load_settings`` would refuse (one line)."""
    for field in fields(settings):
        value = getattr(settings, field.name)
        key = f"retention.{field.name}"
        if key not in RANGES:
            continue
        low, high = RANGES[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f"{key} = {value!r}: expected an integer from {low:.0f} to {high:.0f}", key=key)


def _ended_before(cutoff: datetime | None) -> Select[int] | None:
    if cutoff is None:
        return None
    ended_at = func.coalesce(JobRun.completed_at, JobRun.created_at)
    return select(JobRun.id).where(JobRun.status.not_in(ACTIVE), ended_at < cutoff).order_by(JobRun.id)
