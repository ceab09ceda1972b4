"""A distributed run's shards run in this process, one after the other, and the last finalises the run
(#18): its message is that of a run in one place. The queue and other machines are tested in
tests/scheduler/test_distributed_runs.py."""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.credentials.store import add_credential
from netraven.credentials.vault import Vault, generate_key
from netraven.db import create_session_factory
from netraven.db.models import Device, JobResult, JobRun
from netraven.jobs import Targets, cancel_run
from netraven.jobs.runs import create_run
from netraven.plugins import NetRavenPluginManager
from netraven.runner.distributed import create_shards, execute_shard
from netraven.runner.runs import claim_run
from netraven.settings import Settings
from netraven.simulator.process import FleetProcess
from tests.runner.conftest import Recorder

STALE_PASSWORD = "stale-pw-never-shown"
POSTGRESQL = pytest.mark.parametrize("fresh_engine", ["postgresql"], indirect=True)  # as shards need


def start_run(sessions: sessionmaker[Session], parts: int) -> tuple[int, list[int]]:
    """A backup run of every device, claimed, split into ``parts`` queued shards: its id and theirs."""
    with sessions.begin() as session:
        run_id = create_run(session, "backup", Targets.of(all=True), {}, "alice").id
        ids = sorted(session.scalars(select(Device.id)))
    claim_run(sessions, run_id, "machine-0")
    return run_id, create_shards(sessions, run_id, [ids[n::parts] for n in range(parts)])


def run_shard(shard_id: int, n: int, engine: Engine, settings: Settings, pm: NetRavenPluginManager) -> None:
    execute_shard(shard_id, settings=settings, engine=engine, sessions=create_session_factory(engine),
                  plugin_manager=pm, worker=f"machine-{n}", stop=threading.Event())  # fmt: skip


@POSTGRESQL
def test_the_final_message_names_credentials_no_key_decrypts(
    engine: Engine, settings: Settings, lab: Callable[..., FleetProcess], plugin_manager: NetRavenPluginManager,
    recorder: Recorder,
) -> None:  # fmt: skip
    fleet = lab(3)
    alone = fleet.devices[2]["hostname"]
    sessions = create_session_factory(engine)
    with sessions.begin() as session:
        device = session.scalar(select(Device).where(Device.hostname == alone))
        assert device is not None
        device.tags = []  # its only credential is one the key cannot decrypt
        add_credential(session, Vault([generate_key()], source="an old key"), "stale", "admin", STALE_PASSWORD,
                       priority=1, tags=["lab"], devices=[alone])  # fmt: skip
    run_id, shard_ids = start_run(sessions, 2)

    for n, shard_id in enumerate(shard_ids):
        run_shard(shard_id, n, engine, settings, plugin_manager)

    with sessions() as session:
        run = session.get_one(JobRun, run_id)
        results = {
            r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == run_id))
        }
    counts = (run.hosts_total, run.hosts_succeeded, run.hosts_failed)
    assert (run.status, counts) == ("partial", (3, 2, 1)), run.message
    assert results[alone].status == "failed" and "could not be decrypted" in (results[alone].message or "")
    assert run.message is not None
    finished, said = run.message.split("; ")
    assert finished.startswith("git commit "), run.message  # the backup's finish, without a prepare
    assert said == "credentials that could not be decrypted: stale (wrong or missing key)"
    assert STALE_PASSWORD not in run.message
    assert [s.status for s in recorder.finished] == ["partial"]  # finalised once


@POSTGRESQL
def test_a_shard_taken_after_a_cancel_skips_its_hosts(
    engine: Engine, settings: Settings, lab: Callable[..., FleetProcess], plugin_manager: NetRavenPluginManager,
) -> None:  # fmt: skip
    lab(2)
    sessions = create_session_factory(engine)
    run_id, (first, second) = start_run(sessions, 2)
    run_shard(first, 0, engine, settings, plugin_manager)
    with sessions.begin() as session:
        cancel_run(session, run_id, "bob")

    run_shard(second, 1, engine, settings, plugin_manager)

    with sessions() as session:
        run = session.get_one(JobRun, run_id)
        results = list(session.scalars(select(JobResult).where(JobResult.run_id == run_id)))
    assert (run.status, run.hosts_total, run.hosts_succeeded) == ("cancelled", 2, 1), run.message
    assert run.message and run.message.startswith("cancelled by bob; git commit "), run.message
    skipped = [r for r in results if r.status == "skipped"]
    assert [r.message for r in skipped] == ["not started: the run was cancelled"]
