"""Git catches up with the database: pending versions committed once, in order, old files replaced (#13)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore, device_filename
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Device, DeviceConfiguration
from tests.configs.conftest import T0, Simulated

DC = DeviceConfiguration


def commit_legacy(path: Path, files: dict[str, str]) -> None:
    """A repository as NetRaven wrote it before #13: one ``<hostname>.cfg`` per device."""
    repo = Repo.init_bare(str(path), mkdir=True, default_branch=b"main")
    tree = Tree()
    for name, content in files.items():
        blob = Blob.from_string(content.encode())
        repo.object_store.add_object(blob)
        tree.add(name.encode(), 0o100644, blob.id)
    commit = Commit()
    commit.tree, commit.parents, commit.message = tree.id, [], b"old layout\n"
    commit.author = commit.committer = b"NetRaven <netraven@localhost>"
    commit.author_time = commit.commit_time = int(time.time())
    commit.author_timezone = commit.commit_timezone = 0
    repo.object_store.add_objects([(tree, None), (commit, None)])
    repo.refs[b"refs/heads/main"] = commit.id
    repo.close()


def test_pending_versions_are_committed_once_in_order(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    add_run: Callable[[], int],
    simulated: Callable[[str, str], Simulated],
) -> None:
    a, b = add_device("a"), add_device("b")
    sim_a, sim_b = simulated("a", "cisco_ios"), simulated("b", "cisco_ios")
    first, second = add_run(), add_run()
    store.save(session, a.id, sim_a.fetch(T0), "cisco_ios", run_id=first)  # its git write failed
    sim_a.state.apply("logging host 192.0.2.9", "nr-admin")
    store.save(session, a.id, sim_a.fetch(T0), "cisco_ios", run_id=second)
    store.save(session, b.id, sim_b.fetch(T0), "cisco_ios", run_id=second)

    synced = store.commit_pending(session, second)
    assert (len(synced.commits), synced.written, synced.superseded, synced.error) == (2, 3, 0, None)
    assert synced.run_commit == synced.commits[1] == store.git.head()
    assert store.git.message(synced.commits[0]).startswith(f"NetRaven run {first}: 1 device changed\n")
    assert store.git.read(a.id, synced.commits[0]) == store.get(session, "a", 1).text
    assert store.git.read(a.id) == store.get(session, "a", 2).text
    rows = session.execute(select(DC.git_pending, DC.git_commit).order_by(DC.id)).all()
    assert [tuple(r) for r in rows] == [(False, synced.commits[0]), *[(False, synced.commits[1])] * 2]

    # the database lost the marks of a commit git kept: nothing is written again
    session.execute(update(DC).where(DC.device_id == b.id).values(git_pending=True))
    again = store.commit_pending(session)
    assert (again.commits, again.written) == ([], 1) and store.git.head() == synced.run_commit
    # a version older than one in git is never written over it
    session.execute(update(DC).where(DC.device_id == a.id, DC.version == 1).values(git_pending=True))
    late = store.commit_pending(session)
    assert (late.commits, late.superseded) == ([], 1)
    assert store.git.read(a.id) == store.get(session, "a", 2).text


def test_files_of_the_old_layout_are_replaced_on_the_next_commit(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    add_run: Callable[[], int],
    simulated: Callable[[str, str], Simulated],
) -> None:
    commit_legacy(
        store.git.path, {"site_a.cfg": "old\n", "r1.cfg": "old r1\n", "gone.cfg": "deleted device\n"}
    )
    devices = [add_device(name) for name in ("site/a", "site a", ".r1")]
    run = add_run()
    for device in devices:
        store.save(
            session, device.id, simulated(device.hostname, "cisco_ios").fetch(T0), "cisco_ios", run_id=run
        )
    assert store.commit_pending(session, run).run_commit is not None
    expected = {device_filename(d.id, d.hostname): store.get(session, d.id).text for d in devices}
    assert store.git.files() == {**expected, "gone.cfg": "deleted device\n"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_makes_each_devices_latest_version_pending(
    kind: str, new_database_url: Callable[[str], str]
) -> None:
    engine = create_engine_for_url(new_database_url(kind))
    try:
        migrate.upgrade(engine, "0003")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO devices (id, hostname, host, port, platform, enabled, data, "
                                    "created_at) VALUES (1, 'r1', '127.0.0.1', 22, 'cisco_ios', TRUE, '{}', :t)"),
                               {"t": T0.replace(tzinfo=None)})  # fmt: skip
            for version in (1, 2):
                connection.execute(
                    text("INSERT INTO device_configurations (device_id, version, config_text, normalized_hash, "
                         "retrieved_at, last_seen_at, size_bytes, redacted, git_commit, details) VALUES "
                         "(1, :v, 'x', 'h', :t, :t, 1, FALSE, 'abc', '{}')"),
                    {"v": version, "t": T0.replace(tzinfo=None)},
                )  # fmt: skip
        migrate.upgrade(engine)
        with Session(engine) as session:
            assert session.execute(select(DC.version, DC.git_pending).order_by(DC.version)).all() == [
                (1, False),
                (2, True),
            ]
    finally:
        engine.dispose()
