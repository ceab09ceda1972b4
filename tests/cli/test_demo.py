"""``netraven demo`` end to end: a real simulated fleet, two backups, the summary and what it left."""

from pathlib import Path

from click.testing import CliRunner
from dulwich.repo import Repo
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import Credential, Device, DeviceConfiguration, JobRun


def test_demo_twice(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    for _ in range(2):  # the second demo starts over in the same directory
        result = CliRunner().invoke(
            main, ["--user", "tester", "demo", "--devices", "12", "--home", str(home)]
        )
        assert result.exit_code == 0, result.output
    out = result.output
    assert f"NetRaven demo in {home}" in out.replace("\n", "")
    assert "Devices backed up: 11 of 12 (run 1)" in out
    assert "Second backup (run 2): partial, 11 succeeded, 1 failed" in out
    assert "Failures by kind: 1 connection" in out
    assert "Changed devices: sim-eos-0002, sim-ios-0001, sim-junos-0004" in out
    assert "+ description changed during the NetRaven demo" in out or "+interface Loopback100" in out
    assert f"NETRAVEN_HOME={home} netraven config diff sim-eos-0002" in out

    engine = create_engine(f"sqlite:///{home / 'netraven.sqlite3'}")
    try:
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Device)) == 12
            assert session.scalar(select(func.count()).select_from(Credential)) == 3
            runs = session.scalars(select(JobRun).order_by(JobRun.id)).all()
            assert [(r.status, r.triggered_by, r.hosts_succeeded) for r in runs] == [
                ("partial", "tester", 11)
            ] * 2
            versions = dict(
                session.execute(
                    select(Device.hostname, func.count()).join(DeviceConfiguration).group_by(Device.hostname)
                ).all()
            )
    finally:
        engine.dispose()
    assert len(versions) == 11 and sum(versions.values()) == 14
    assert {name for name, count in versions.items() if count == 2} == {
        "sim-eos-0002",
        "sim-ios-0001",
        "sim-junos-0004",
    }
    repo = Repo(str(home / "configs.git"))
    try:
        assert len(list(repo.get_walker())) == 2
    finally:
        repo.close()


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["demo", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path} is not empty and not a NetRaven demo directory: give another --home\n"
    )
    assert (tmp_path / "precious.txt").read_text() == "keep me"
