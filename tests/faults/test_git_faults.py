"""Faults of the git history during backup runs: the repository unwritable, its disk full (#13).

Each test backs up a simulated fleet, breaks the repository, changes configs and runs backups that
cannot write git, then repairs it and recovers (``netraven config sync-git`` or the next run). It
asserts what the fault suite asserts everywhere: every target host has a result, no run is left
running, every stored version reaches git after recovery, and nothing is written twice.

Root (which tests and CI run as here) ignores file permissions, so "unwritable" is a read-only bind
mount, as for a repository on a read-only volume (``chmod`` stands in for other users); "disk
full" is a small tmpfs mounted on the repository, filled up. Mounting needs root: without it the
disk-full test is skipped with that reason (CI fails instead).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from dulwich.repo import Repo
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.configs import GitHistory
from netraven.db.models import DeviceConfiguration, JobLog, JobResult, JobRun
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import RunReport, run_job
from netraven.settings import Settings
from netraven.simulator.process import FleetProcess

DC = DeviceConfiguration


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (and all below it) cannot be written, for the duration."""
    if os.geteuid() == 0:
        _mount("--bind", str(path), str(path))
        try:
            _mount("-o", "remount,ro,bind", str(path))
            yield
        finally:
            subprocess.run(["umount", "--lazy", str(path)], check=True, timeout=30)
        return
    dirs = [path, *(p for p in path.rglob("*") if p.is_dir())]
    for d in dirs:
        d.chmod(0o555)
    try:
        yield
    finally:
        for d in dirs:
            d.chmod(0o755)


@contextmanager
def small_disk(path: Path, size: str = "2m") -> Iterator[None]:
    """A tmpfs of ``size`` mounted on ``path`` (empty), for the duration."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    except (OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs for the disk-full test: {exc}")
        pytest.skip(f"cannot mount a tmpfs for the disk-full test (needs root): {exc}")
    try:
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=True, timeout=30)


def fill(path: Path) -> Path:
    """A file taking every free byte of ``path``'s filesystem."""
    filler = path / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def backup(engine: Engine, settings: Settings, pm: NetRavenPluginManager) -> RunReport:
    report = run_job("backup", Targets.of(tags=["lab"]), settings=settings, engine=engine, plugin_manager=pm)
    with Session(engine) as session:
        run = session.get(JobRun, report.run_id)
        results = session.scalar(select(func.count()).where(JobResult.run_id == report.run_id))
    assert run is not None and run.status == "succeeded", (run and run.message, report.hosts)
    assert results == report.summary.hosts_total == report.summary.hosts_succeeded
    return report


def change(fleet: FleetProcess, n: int) -> None:
    for device in fleet.devices:
        fleet.configure(device["hostname"], [f"interface Loopback{n}", f" description change-{n}"])


def assert_broken_run(engine: Engine, report: RunReport, git_dir: Path, pending: int) -> None:
    """The hosts succeeded and their versions are stored; the run warns, naming the path and the fix."""
    assert report.message is not None
    assert "warning: configs not written to git" in report.message
    assert str(git_dir) in report.message and "netraven config sync-git" in report.message
    assert f"({pending} versions pending)" in report.message
    with Session(engine) as session:
        warnings = session.scalars(
            select(JobLog.message).where(JobLog.run_id == report.run_id, JobLog.level == "WARNING")
        ).all()
        assert warnings == [report.message[report.message.index("warning: ") :]]
        assert session.scalar(select(func.count()).where(DC.git_pending)) == pending


def assert_converged(engine: Engine, git_dir: Path) -> None:
    """Every stored version is in git under its commit, and each was written in exactly one commit."""
    git = GitHistory(git_dir)
    with Session(engine) as session:
        rows = session.execute(
            select(DC.device_id, DC.version, DC.config_text, DC.git_commit, DC.git_pending)
        ).all()
        assert session.scalar(select(func.count()).where(JobRun.status.in_(("queued", "running")))) == 0
    for device_id, version, text, commit, pending in rows:
        assert not pending and commit is not None, (device_id, version)
        assert git.read(device_id, commit) == text, (device_id, version)
    writes = written_blobs(git_dir)
    assert len(writes) == len(set(writes)) == len(rows)  # one write per version, none repeated


def written_blobs(git_dir: Path) -> list[tuple[bytes, bytes]]:
    """(file, blob) of every file each commit added or changed, over the whole history."""
    repo = Repo(str(git_dir))
    try:
        writes = []
        for entry in repo.get_walker():
            tree = {e.path: e.sha for e in repo[entry.commit.tree].iteritems()}
            parent = {}
            if entry.commit.parents:
                parent = {e.path: e.sha for e in repo[repo[entry.commit.parents[0]].tree].iteritems()}
            writes += [(path, sha) for path, sha in tree.items() if parent.get(path) != sha]
        return writes
    finally:
        repo.close()


def test_unwritable_git_dir_warns_and_sync_git_catches_up(
    engine: Engine,
    settings: Settings,
    lab: Callable[..., FleetProcess],
    plugin_manager: NetRavenPluginManager,
) -> None:
    fleet = lab(3)
    backup(engine, settings, plugin_manager)
    git_dir = settings.git_dir
    env = {"NETRAVEN_HOME": str(settings.home), "NETRAVEN_DATABASE__URL": engine.url.render_as_string(False)}
    with read_only(git_dir):
        change(fleet, 1)
        assert_broken_run(engine, backup(engine, settings, plugin_manager), git_dir, 3)
        change(fleet, 2)
        assert_broken_run(engine, backup(engine, settings, plugin_manager), git_dir, 6)
        cli = CliRunner().invoke(main, ["config", "sync-git"], env=env)
        assert cli.exit_code == 1 and "configs not written to git" in cli.stderr
        pending = CliRunner().invoke(
            main, ["config", "history", fleet.devices[0]["hostname"], "--json"], env=env
        )
        assert [v["git_pending"] for v in json.loads(pending.stdout)["versions"]] == [True, True, False]
    cli = CliRunner().invoke(main, ["config", "sync-git"], env=env)
    assert cli.exit_code == 0, cli.output
    assert cli.stdout == "6 version(s) written in 2 commit(s); 0 pending.\n"
    assert_converged(engine, git_dir)
    head = GitHistory(git_dir).head()
    assert backup(engine, settings, plugin_manager).message is None  # nothing left, nothing again
    assert CliRunner().invoke(main, ["config", "sync-git"], env=env).exit_code == 0
    assert GitHistory(git_dir).head() == head


def test_full_disk_warns_and_the_next_run_catches_up(
    engine: Engine,
    settings: Settings,
    lab: Callable[..., FleetProcess],
    plugin_manager: NetRavenPluginManager,
) -> None:
    git_dir = settings.git_dir
    with small_disk(git_dir):
        fleet = lab(3)
        backup(engine, settings, plugin_manager)
        filler = fill(git_dir)
        change(fleet, 1)
        assert_broken_run(engine, backup(engine, settings, plugin_manager), git_dir, 3)
        filler.unlink()
        change(fleet, 2)
        report = backup(engine, settings, plugin_manager)
        assert report.message is not None and report.message.endswith("; 1 earlier git commit caught up")
        assert_converged(engine, git_dir)
