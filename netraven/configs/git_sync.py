"""Bringing the git history up to the database: every stored version not yet in git is committed.

A version is stored with ``git_pending`` set; the commit that writes it clears the flag and records
its sha. Pending versions are committed oldest first, one commit per run (versions stored outside a
run together), so a version left behind by a failed write (the repository not writable, the disk
full, the process killed) is committed by the next run or ``netraven config sync-git``. Writing is
idempotent: a version whose text git already holds changes no tree and makes no commit, and a
version older than one already in git is never written over it (it is marked superseded).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from netraven.configs.git_history import DEFAULT_AUTHOR, DeviceFile, GitHistory
from netraven.db.base import utcnow
from netraven.db.models import Device, DeviceConfiguration, JobRun, RunShard
from netraven.exceptions import DatabaseError

DC = DeviceConfiguration
log = logging.getLogger("netraven.configs")


@dataclass(slots=True)
class GitSync:
    """What :func:`commit_pending` did: ``commits`` oldest first, ``run_commit`` the given run's own.

    ``error`` (one line naming the repository and the fix) says why ``left`` versions are still
    pending; they are committed by a later call.
    """

    commits: list[str] = field(default_factory=list)
    run_commit: str | None = None
    written: int = 0
    superseded: int = 0
    left: int = 0
    error: str | None = None


def commit_pending(
    session: Session,
    git: GitHistory,
    run_id: int | None = None,
    body: str | None = None,
    author: str = DEFAULT_AUTHOR,
    lease_seconds: float = 120,
) -> GitSync:
    """Commit the pending versions (``run_id``'s and those of no live run) and move renamed files.

    Versions of another run still running (heartbeat within ``lease_seconds``, or shards left on
    the queue) are left to it.
    ``body`` is the message body of ``run_id``'s commit. Marks are made in ``session``.
    """
    shards_left = exists().where(RunShard.run_id == JobRun.id, RunShard.status.in_(("queued", "running")))
    live = select(JobRun.id).where(
        JobRun.status == "running",
        or_(JobRun.heartbeat_at >= utcnow() - timedelta(seconds=lease_seconds), shards_left),
        JobRun.id != (run_id or 0),
    )
    rows = session.execute(
        select(DC.id, DC.device_id, DC.version, DC.run_id)
        .where(DC.git_pending, or_(DC.run_id.is_(None), DC.run_id.not_in(live)))
        .order_by(DC.id)
    ).all()
    done: dict[int, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(DC.device_id, func.max(DC.version))
            .where(~DC.git_pending, DC.device_id.in_(select(DC.device_id).where(DC.git_pending)))
            .group_by(DC.device_id)
        ).all()
    )
    outcome = GitSync()
    hostnames = _renamable(session)
    groups, superseded = _plan(rows, done)
    if superseded:
        _mark(session, superseded, None)
        outcome.superseded = len(superseded)
        log.warning("%d config version(s) superseded before they reached git", len(superseded))
    for group_run, ids in groups:
        try:
            sha = _write(
                session, git, group_run, ids, hostnames, body if group_run == run_id else None, author
            )
        except (OSError, DatabaseError) as exc:
            outcome.error = _reason(git, exc)
            outcome.left = sum(len(ids) for _, ids in groups) - outcome.written
            log.warning("git history not written: %s", outcome.error)
            return outcome
        _mark(session, ids, sha)
        outcome.written += len(ids)
        if sha is not None:
            outcome.commits.append(sha)
            if group_run == run_id:
                outcome.run_commit = sha
    if not groups:
        try:
            sha = git.commit([], "NetRaven: files of renamed devices moved", author, hostnames)
        except (OSError, DatabaseError) as exc:
            outcome.error = _reason(git, exc)
            return outcome
        if sha is not None:
            outcome.commits.append(sha)
    return outcome


def pending_count(session: Session, run_id: int | None = None) -> int:
    """How many stored versions (of run ``run_id``, if given) are not in git yet."""
    query = select(func.count()).select_from(DC).where(DC.git_pending)
    if run_id is not None:
        query = query.where(DC.run_id == run_id)
    return session.scalar(query) or 0


def _plan(rows: Sequence[Any], done: dict[int, int]) -> tuple[list[tuple[int | None, list[int]]], list[int]]:
    """Commits to make, in order (run id, version ids), and the versions already superseded in git.

    One commit per run as a rule; a device's versions go in commits in version order (a run's
    version of a device that a later commit already holds starts a new commit of that run). A
    version older than one of its device already in git is superseded, never written over it.
    """
    groups: list[tuple[int | None, list[int]]] = []
    current: dict[int | None, int] = {}  # run id -> index of its newest group
    last: dict[int, int] = {}  # device id -> index of the group holding its newest version
    superseded: list[int] = []
    for row in rows:
        if row.version <= done.get(row.device_id, 0):
            superseded.append(row.id)
            continue
        done[row.device_id] = row.version
        index = current.get(row.run_id)
        if index is None or last.get(row.device_id, -1) >= index:
            index = current[row.run_id] = len(groups)
            groups.append((row.run_id, []))
        groups[index][1].append(row.id)
        last[row.device_id] = index
    return groups, superseded


def _write(
    session: Session,
    git: GitHistory,
    run_id: int | None,
    ids: list[int],
    hostnames: dict[int, str],
    body: str | None,
    author: str,
) -> str | None:
    files = [
        DeviceFile(device_id, hostname, text)
        for chunk in _chunks(ids)
        for device_id, hostname, text in session.execute(
            select(DC.device_id, Device.hostname, DC.config_text)
            .join(Device, Device.id == DC.device_id)
            .where(DC.id.in_(chunk))
        )
    ]
    files.sort(key=lambda f: f.hostname)
    count = f"{len(files)} device{'s' if len(files) != 1 else ''} changed"
    subject = f"NetRaven run {run_id}: {count}" if run_id is not None else f"NetRaven: {count} outside a run"
    message = f"{subject}\n\n{body or chr(10).join(f.hostname for f in files)}\n"
    return git.commit(files, message, author, hostnames)


def _mark(session: Session, ids: list[int], sha: str | None) -> None:
    values: dict[str, Any] = {"git_pending": False}
    if sha is not None:
        values["git_commit"] = sha
    for chunk in _chunks(ids):
        session.execute(update(DC).where(DC.id.in_(chunk)).values(values))


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _renamable(session: Session) -> dict[int, str]:
    """Hostnames of the devices with a version in git: their files follow renames.

    A device without one has no file yet (on SQLite a new device may reuse a deleted one's id:
    it must not inherit that device's file).
    """
    in_git = exists().where(DC.device_id == Device.id, DC.git_commit.is_not(None))
    return {
        device_id: hostname
        for device_id, hostname in session.execute(select(Device.id, Device.hostname).where(in_git))
    }


def _reason(git: GitHistory, exc: BaseException) -> str:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    where = getattr(exc, "filename", None) or git.path
    return (
        f"configs not written to git: {where}: {why}; make {git.path} writable (and its disk not full) "
        "for the user running NetRaven, then run 'netraven config sync-git' (the next backup does it too)"
    )
