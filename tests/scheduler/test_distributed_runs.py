"""One run spread over the workers of three "machines": shards as tasks on one Redis queue.

Each worker is a separate ``netraven worker`` process with a data directory of its own (as on its
own machine: its own git repository, logs and queue state), sharing one PostgreSQL database, one
Redis queue and the credentials' key file (copied to every machine in a real deployment). Only the
first writes git history (``backup.git_commit``); the others leave versions pending for it. Every
device answers each command 0.3 s late, so each shard takes seconds and every worker gets some.
"""

from __future__ import annotations

import collections
from collections.abc import Callable

from sqlalchemy import select

from netraven.configs.git_history import GitHistory
from netraven.configs.git_sync import pending_count
from netraven.db.models import JobResult, JobRun, RunShard
from netraven.jobs import Targets, cancel_run, queue_run
from netraven.plugins import create_plugin_manager
from netraven.scheduler.queue import create_queue
from tests.scheduler.workers import Worker, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LabFactory = Callable[..., WorkerLab]
DEVICES, SHARD = 90, 15  # six shards
ENV = {
    "failures": f"0-{DEVICES - 1}:slow=0.3",
    "NETRAVEN_RUNNER__SHARD_SIZE": str(SHARD),
    "NETRAVEN_RUNNER__NUM_WORKERS": "5",
    "NETRAVEN_SCHEDULER__TICK_SECONDS": "1",
}


def machines(lab: WorkerLab, count: int = 3) -> list[Worker]:
    """``count`` workers, one thread each, the first in the lab's data directory, the others in their own."""
    started = []
    for n in range(count):
        home = lab.home if n == 0 else lab.home.parent / f"{lab.home.name}-machine-{n}"
        home.mkdir(exist_ok=True)
        env = {
            **lab.env,
            "NETRAVEN_HOME": str(home),
            "NETRAVEN_CREDENTIALS__KEY_FILE": str(lab.settings.key_file),
        }
        if n:
            env["NETRAVEN_BACKUP__GIT_COMMIT"] = "false"
        started.append(Worker(env, home / f"worker-{n}.log", ("--workers", "1")))
    lab.workers += started
    return started


def start_run(lab: WorkerLab) -> int:
    with lab.sessions.begin() as session:
        queued = queue_run(
            session, create_plugin_manager().job_types, "backup", Targets.of([], ["lab"]), {}, "alice"
        )
    queue = create_queue(lab.settings)
    queue.enqueue_run(queued)
    queue.close()
    return queued.run_id


def run_of(lab: WorkerLab, run_id: int) -> JobRun:
    with lab.sessions() as session:
        return session.get_one(JobRun, run_id)


def shards(lab: WorkerLab, run_id: int) -> list[RunShard]:
    with lab.sessions() as session:
        return list(
            session.scalars(select(RunShard).where(RunShard.run_id == run_id).order_by(RunShard.index))
        )


def results_per_device(lab: WorkerLab, run_id: int) -> collections.Counter[int | None]:
    with lab.sessions() as session:
        return collections.Counter(
            session.scalars(select(JobResult.device_id).where(JobResult.run_id == run_id))
        )


def ended(lab: WorkerLab, run_id: int) -> bool:
    return run_of(lab, run_id).status not in ("queued", "running")


def test_three_machines_share_a_run_and_one_git_commit_holds_it(worker_lab: LabFactory) -> None:
    lab = worker_lab("redis", devices=DEVICES, **ENV)
    workers = machines(lab)
    run_id = start_run(lab)
    wait_until(lambda: ended(lab, run_id), 120, "the run to end")

    run = run_of(lab, run_id)
    assert (run.status, run.hosts_total, run.hosts_succeeded) == ("succeeded", DEVICES, DEVICES), run.message
    counts = results_per_device(lab, run_id)
    assert len(counts) == DEVICES and set(counts.values()) == {1}  # every host recorded once
    parts = shards(lab, run_id)
    assert len(parts) == DEVICES // SHARD and {p.status for p in parts} == {"done"}
    assert {p.worker for p in parts} == {w.name for w in workers}  # every machine ran some

    with lab.sessions() as session:
        wait_until(lambda: pending_count(session) == 0, 20, "the git writer to commit the run")
    git = GitHistory(lab.settings.git_dir)
    head = git.head()
    assert head is not None
    assert git.message(head).startswith(f"NetRaven run {run_id}: {DEVICES} ")  # one commit, every device
    assert len(git.files(head)) == DEVICES
    for n in (1, 2):  # the other machines wrote no history of their own
        assert not (lab.home.parent / f"{lab.home.name}-machine-{n}" / "configs.git").exists()


def test_a_machine_killed_mid_shard_leaves_every_host_recorded_once(worker_lab: LabFactory) -> None:
    lab = worker_lab("redis", devices=DEVICES, **ENV)
    workers = machines(lab)
    victim = workers[2]
    run_id = start_run(lab)
    wait_until(lambda: any(p.worker == victim.name and p.status == "running" for p in shards(lab, run_id)), 60,
               "a shard running on the third machine")  # fmt: skip
    wait_until(lambda: results_per_device(lab, run_id).total() >= SHARD, 60, "some hosts stored")
    victim.kill()
    wait_until(lambda: ended(lab, run_id), 120, "the run to end")

    run = run_of(lab, run_id)
    counts = results_per_device(lab, run_id)
    assert len(counts) == DEVICES and set(counts.values()) == {1}, run.message
    assert run.status == "succeeded", run.message  # its shard went to another machine, once
    taken = [p for p in shards(lab, run_id) if p.attempts == 2]
    assert taken and all(p.status == "done" and p.worker != victim.name for p in taken)
    assert all(p.message and p.message.startswith("worker lost: ") for p in taken)


def test_cancelling_stops_the_shards_on_every_machine(worker_lab: LabFactory) -> None:
    lab = worker_lab("redis", devices=DEVICES, **ENV)
    workers = machines(lab)
    run_id = start_run(lab)
    wait_until(lambda: {p.worker for p in shards(lab, run_id) if p.status == "running"} == {w.name for w in workers},
               60, "a shard running on every machine")  # fmt: skip
    with lab.sessions.begin() as session:
        cancel_run(session, run_id, "alice")
    wait_until(lambda: ended(lab, run_id), 60, "the run to end")

    run = run_of(lab, run_id)
    assert run.status == "cancelled" and run.message and run.message.startswith("cancelled by alice"), (
        run.message
    )
    counts = results_per_device(lab, run_id)
    assert len(counts) == DEVICES and set(counts.values()) == {1}
    with lab.sessions() as session:
        statuses = collections.Counter(
            session.scalars(select(JobResult.status).where(JobResult.run_id == run_id))
        )
    assert statuses["skipped"] > 0 and run.hosts_total == DEVICES
    assert {p.status for p in shards(lab, run_id)} <= {"done", "cancelled"}
