"""One run spread over the workers of three "machines": shards as tasks on one Redis queue.

Each worker is a separate ``netraven worker`` process with a data directory of its own (as on its
own machine: its own git repository, logs and queue state), sharing one PostgreSQL database, one
Redis queue and the credentials' key file (copied to every machine in a real deployment). Only the
first writes git history (``backup.git_commit``); the others leave versions pending for it.

The large run backs up 3,000 devices answering at once, in shards of 150, and loses one machine
to SIGKILL halfway. The cancel test runs 90 devices answering each command 0.3 s late, so every
machine is mid-shard when the cancel comes.
"""

from __future__ import annotations

import collections
from collections.abc import Callable

import pytest
from dulwich.objects import Commit
from dulwich.repo import Repo
from sqlalchemy import func, select

from netraven.configs.git_history import GitHistory
from netraven.configs.git_sync import pending_count
from netraven.db.models import JobResult, JobRun, RunShard
from netraven.jobs import Targets, cancel_run, queue_run
from netraven.plugins import create_plugin_manager
from netraven.scheduler.queue import create_queue
from tests.scheduler.workers import Worker, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

LabFactory = Callable[..., WorkerLab]
LARGE, LARGE_SHARD = 3000, 150  # twenty shards, about seven per machine
LARGE_ENV = {
    "NETRAVEN_RUNNER__SHARD_SIZE": str(LARGE_SHARD),
    "NETRAVEN_RUNNER__NUM_WORKERS": "10",
    "NETRAVEN_SCHEDULER__TICK_SECONDS": "1",
    "NETRAVEN_SCHEDULER__LEASE_SECONDS": "6",  # beats every 1.5 s: a loaded machine is not taken for lost
}
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
        started.append(Worker(env, home / f"worker-{n}.log", ("--workers", "1"), wait=False))
    lab.workers += started
    for worker in started:
        worker.wait_started(60)
    return started


def start_run(lab: WorkerLab, **parameters: object) -> int:
    """Queue a backup of the lab's devices by alice, with these parameters; its run id."""
    job_types = create_plugin_manager().job_types
    with lab.sessions.begin() as session:
        queued = queue_run(session, job_types, "backup", Targets.of([], ["lab"]), parameters, "alice")
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


def stored_of(lab: WorkerLab, run_id: int, device_ids: list[int]) -> int:
    """How many of ``device_ids`` have a result in run ``run_id``."""
    with lab.sessions() as session:
        query = select(func.count()).where(JobResult.run_id == run_id, JobResult.device_id.in_(device_ids))
        return session.scalar(query) or 0


def killable(lab: WorkerLab, run_id: int, victim: Worker) -> RunShard | None:
    """The victim's running shard once the victim has ended another and stored a third of this one."""
    parts = [p for p in shards(lab, run_id) if p.worker == victim.name]
    running = [p for p in parts if p.status == "running"]
    if not running and ended(lab, run_id):
        raise AssertionError("the run ended before the third machine could be killed mid-shard")
    if not running or not any(p.status == "done" for p in parts):
        return None
    return running[0] if stored_of(lab, run_id, running[0].device_ids) >= LARGE_SHARD // 3 else None


@pytest.mark.slow
@pytest.mark.exclusive
def test_three_machines_share_3000_devices_lose_one_and_one_git_commit_holds_them(
    worker_lab: LabFactory,
) -> None:
    lab = worker_lab("redis", devices=LARGE, **LARGE_ENV)
    workers = machines(lab)
    victim = workers[2]
    run_id = start_run(lab, facts=False)  # facts are one more command and parse per device, not scale
    killed = wait_until(lambda: killable(lab, run_id, victim), 120, "the third machine into its second shard",
                        interval=0.25)  # fmt: skip
    victim.kill()
    wait_until(lambda: ended(lab, run_id), 150, "the run to end", interval=0.5)

    run = run_of(lab, run_id)
    assert (run.status, run.hosts_total, run.hosts_succeeded) == ("succeeded", LARGE, LARGE), run.message
    counts = results_per_device(lab, run_id)
    assert len(counts) == LARGE and set(counts.values()) == {1}  # every host recorded once
    parts = shards(lab, run_id)
    assert len(parts) == LARGE // LARGE_SHARD and {p.status for p in parts} == {"done"}
    assert {p.worker for p in parts} == {w.name for w in workers}  # every machine ran some
    taken = [p for p in parts if p.attempts == 2]  # the killed machine's shard, run once elsewhere
    assert [p.id for p in taken] == [killed.id], [(p.index, p.attempts, p.worker) for p in parts]
    assert taken[0].worker != victim.name, taken[0].worker
    assert taken[0].message and taken[0].message.startswith("worker lost: "), taken[0].message
    assert not [w.name for w in workers if "not in the queue" in w.log()]  # no shard taken for lost there

    with lab.sessions() as session:
        wait_until(lambda: pending_count(session) == 0, 30, "the git writer to commit the run")
    git = GitHistory(lab.settings.git_dir)
    head = git.head()
    assert head is not None
    assert git.message(head).startswith(f"NetRaven run {run_id}: {LARGE} ")  # every device...
    with Repo(str(lab.settings.git_dir)) as repo:
        commit = repo[head.encode()]
        assert isinstance(commit, Commit) and commit.parents == []  # ...in one commit
    assert len(git.files(head)) == LARGE
    for n in (1, 2):  # the other machines wrote no history of their own
        assert not (lab.home.parent / f"{lab.home.name}-machine-{n}" / "configs.git").exists()


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
