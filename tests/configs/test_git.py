"""One git commit per run for all changed devices, none when nothing changed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore, DeviceFile, GitHistory, device_filename
from netraven.db.models import Device, DeviceConfiguration
from tests.configs.conftest import T0, Simulated

HOSTS = ["core-1", "edge-1", "edge-2"]


def test_one_commit_per_run_and_none_when_nothing_changed(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    add_run: Callable[[], int],
    simulated: Callable[[str, str], Simulated],
) -> None:
    devices = {host: add_device(host) for host in HOSTS}
    sims = {host: simulated(host, "cisco_ios") for host in HOSTS}

    first_run = add_run()
    for host in HOSTS:
        store.save(session, devices[host].id, sims[host].fetch(T0), "cisco_ios", run_id=first_run)
    first = store.commit_pending(session, first_run).run_commit
    assert first is not None and store.git.head() == first
    assert store.git.message(first).startswith(f"NetRaven run {first_run}: 3 devices changed\n")
    for host in HOSTS:
        assert store.git.read(devices[host].id) == store.get(session, host).text
    rows = session.scalars(select(DeviceConfiguration).where(DeviceConfiguration.run_id == first_run)).all()
    assert sorted(r.git_commit or "" for r in rows) == [first] * 3

    quiet_run = add_run()
    for host in HOSTS:
        later = sims[host].fetch(T0 + timedelta(days=1))
        assert not store.save(session, devices[host].id, later, "cisco_ios", run_id=quiet_run).changed
    assert store.commit_pending(session, quiet_run).commits == []
    assert store.git.head() == first

    change_run = add_run()
    sims["edge-2"].state.apply("logging host 192.0.2.7", "nr-admin")
    for host in HOSTS:
        later = sims[host].fetch(T0 + timedelta(days=2))
        store.save(session, devices[host].id, later, "cisco_ios", run_id=change_run)
    second = store.commit_pending(session, change_run, "scheduled backup").run_commit
    assert second is not None and second != first
    assert store.git.message(second) == f"NetRaven run {change_run}: 1 device changed\n\nscheduled backup\n"
    edge2 = devices["edge-2"].id
    assert "logging host 192.0.2.7" in (store.git.read(edge2) or "")
    assert store.git.read(edge2, first) == store.get(session, "edge-2", 1).text
    assert store.get(session, "edge-2").git_commit == second


def test_git_history_directly(tmp_path: Path) -> None:
    git = GitHistory(tmp_path / "configs.git")
    assert git.head() is None and git.read(1) is None
    assert git.commit([], "empty") is None
    sha = git.commit([DeviceFile(1, "r1", "hostname r1\n"), DeviceFile(2, "site/a b", "x\n")], "run 1")
    assert sha is not None and (tmp_path / "configs.git" / "objects").is_dir()
    assert git.commit([DeviceFile(1, "r1", "hostname r1\n")], "same again") is None
    assert git.read(2) == "x\n"
    assert git.files() == {"r1@1.cfg": "hostname r1\n", "site-a-b@2.cfg": "x\n"}
    assert device_filename(3, "../etc") == "etc@3.cfg"
    assert device_filename(4, "Zürich core") == "Zurich-core@4.cfg"
    assert device_filename(5, "東京") == "device@5.cfg"


def test_concurrent_commits_are_all_kept(tmp_path: Path) -> None:
    git = GitHistory(tmp_path / "configs.git")
    shas: list[str | None] = []

    def commit(n: int) -> None:
        shas.append(
            git.commit([DeviceFile(n, f"r{n}", f"hostname r{n}\n")], f"NetRaven run {n}: 1 device changed")
        )

    threads = [threading.Thread(target=commit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({s for s in shas if s}) == 8
    assert all(git.read(n) == f"hostname r{n}\n" for n in range(8))


def _commit_many(path: str, first: int, count: int) -> None:
    git = GitHistory(path)
    for n in range(first, first + count):
        git.commit([DeviceFile(n, f"r{n}", f"hostname r{n}\n")], f"NetRaven run {n}")


def test_concurrent_processes_and_stores_lose_no_commit(tmp_path: Path) -> None:
    """Workers on one machine (processes) and runs in one worker (one store each) share the repo."""
    import multiprocessing

    path = str(tmp_path / "configs.git")
    GitHistory(path).commit([DeviceFile(0, "seed", "hostname seed\n")], "seed")
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_commit_many, args=(path, 100 * (i + 1), 15)) for i in range(3)]
    threads = [threading.Thread(target=_commit_many, args=(path, 1000 * (i + 1), 15)) for i in range(2)]
    for worker in (*processes, *threads):
        worker.start()
    for thread in threads:
        thread.join(60)
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    git = GitHistory(path)
    ids = [100 * (i + 1) + n for i in range(3) for n in range(15)] + [
        1000 * (i + 1) + n for i in range(2) for n in range(15)
    ]
    assert all(git.read(n) == f"hostname r{n}\n" for n in ids)
    from dulwich.repo import Repo

    repo = Repo(path)
    try:
        assert len(list(repo.get_walker())) == 1 + len(ids)
    finally:
        repo.close()
