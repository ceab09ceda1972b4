"""Backup runs end to end: simulated devices over SSH, NetRaven's runner, database and git."""

import pytest
from dulwich.repo import Repo
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from netraven.db.models import ConnectionLog, Device, DeviceConfiguration, JobLog, JobResult, JobRun
from netraven.exceptions import InventoryError, JobError
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, Recorder, make_settings

PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")


def versions(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        rows = session.execute(
            select(DeviceConfiguration.device_id, func.count()).group_by(DeviceConfiguration.device_id)
        )
        return {device_id: count for device_id, count in rows}


def git_commits(settings: Settings) -> list[bytes]:
    repo = Repo(str(settings.git_dir))
    try:
        return [entry.commit.message for entry in repo.get_walker()]
    finally:
        repo.close()


@PROCESSES
def test_versions_only_on_real_change(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, recorder: Recorder,
    processes: int,
) -> None:  # fmt: skip
    settings = make_settings(settings.home, processes)
    fleet = lab(4, platforms=PLATFORMS)
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager, triggered_by="tester")

    first = run_job("backup", Targets.of(tags=["lab"]), **backup)
    assert first.summary.status == "succeeded", (first.message, first.hosts)
    assert (first.summary.hosts_total, first.summary.hosts_succeeded) == (4, 4)
    assert sorted(versions(engine).values()) == [1, 1, 1, 1]
    assert len(recorder.changed) == 4 and all(old is None for _, old, _, _ in recorder.changed)
    assert len(git_commits(settings)) == 1
    assert first.message and first.message.startswith("git commit ")

    second = run_job("backup", Targets.of(all=True), **backup)
    assert second.summary.status == "succeeded"
    assert sorted(versions(engine).values()) == [1, 1, 1, 1]  # only volatile lines moved
    assert not any(outcome.changed for outcome in second.hosts.values())
    assert len(recorder.changed) == 4 and len(git_commits(settings)) == 1

    ios, junos = fleet.devices[0], fleet.devices[3]
    fleet.configure(ios["hostname"], ["interface Loopback77", " description added-by-test"])
    fleet.configure(junos["hostname"], ["set system location building-7"])
    recorder.changed.clear()
    third = run_job("backup", Targets.of(tags=["lab"]), **backup)
    assert third.summary.status == "succeeded"
    assert sorted(versions(engine).values()) == [1, 1, 2, 2]
    assert {outcome.hostname for outcome in third.hosts.values() if outcome.changed} == {
        ios["hostname"],
        junos["hostname"],
    }
    commits = git_commits(settings)
    assert len(commits) == 2 and commits[0].startswith(
        f"NetRaven run {third.run_id}: 2 devices changed".encode()
    )
    diffs = {device.hostname: diff for device, _, _, diff in recorder.changed}
    assert set(diffs) == {ios["hostname"], junos["hostname"]}
    assert "+ description added-by-test" in diffs[ios["hostname"]]
    assert "building-7" in diffs[junos["hostname"]]
    assert all(line[:1] != "-" or line.startswith("---") for line in diffs[ios["hostname"]].splitlines())

    with Session(engine) as session:
        run = session.get(JobRun, third.run_id)
        assert run is not None and run.status == "succeeded" and run.triggered_by == "tester"
        assert run.targets == {"devices": [], "tags": ["lab"], "all": False}
        results = session.scalars(select(JobResult).where(JobResult.run_id == third.run_id)).all()
        assert len(results) == 4 and all(r.status == "succeeded" and r.credential_id for r in results)
        assert (
            session.scalar(
                select(func.count()).select_from(ConnectionLog).where(ConnectionLog.run_id == run.id)
            )
            == 4
        )
        assert session.scalar(select(func.count()).select_from(JobLog).where(JobLog.run_id == run.id)) >= 8
        latest = session.scalars(
            select(DeviceConfiguration).where(DeviceConfiguration.run_id == third.run_id)
        ).all()
        assert len(latest) == 2 and all(v.git_commit for v in latest)


def test_untargeted_run_is_refused(
    engine: Engine, settings: Settings, plugin_manager: NetRavenPluginManager
) -> None:
    with pytest.raises(JobError, match="give --device, --tag or --all"):
        run_job("backup", Targets.of(), settings=settings, engine=engine, plugin_manager=plugin_manager)
    with pytest.raises(InventoryError, match="no device named 'ghost'"):
        run_job("backup", Targets.of(devices=["ghost"]), settings=settings, engine=engine,
                plugin_manager=plugin_manager)  # fmt: skip
    with pytest.raises(JobError, match="unknown job type 'bakup'"):
        run_job(
            "bakup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
        )
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(JobRun)) == 0


def test_a_device_that_cannot_be_reached_shows_a_failed_backup(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager
) -> None:
    """Its last success does not stand for it: the devices page and filters show it failing (#15)."""
    fleet = lab(2)
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager)
    assert run_job("backup", Targets.of(all=True), **backup).summary.status == "succeeded"
    gone, fine = (device["hostname"] for device in fleet.devices)
    with Session(engine) as session, session.begin():
        session.execute(update(Device).where(Device.hostname == gone).values(port=1))  # nothing listens

    report = run_job("backup", Targets.of(all=True), **backup)

    assert report.summary.status == "partial" and report.hosts[gone].error_kind == "connection"
    with Session(engine) as session:
        devices = {d.hostname: d for d in session.scalars(select(Device))}
        failed_at = session.scalar(
            select(JobResult.completed_at).where(
                JobResult.run_id == report.run_id, JobResult.hostname == gone
            )
        )
    assert (devices[gone].last_backup_status, devices[gone].last_backup_at) == ("failed", failed_at)
    assert devices[fine].last_backup_status == "success"
