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


def test_demo_serve_shows_its_data_in_the_web_pages(tmp_path: Path) -> None:
    """``netraven demo --serve``: the demo, a web admin whose password is printed once, then the
    server on the demo's data, where that password logs in and the dashboard shows the demo's runs."""
    import os
    import re
    import subprocess
    import sys
    import time

    import httpx

    from tests.browser.conftest import free_port, stop_process

    port = free_port()
    home = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAVEN_")}
    env.update(NETRAVEN_HOME=str(tmp_path / "own"), NETRAVEN_DATABASE__URL="sqlite:////nonexistent/x.db",
               COLUMNS="250", PYTHONUNBUFFERED="1")  # fmt: skip
    command = [
        sys.executable,
        "-m",
        "netraven",
        "demo",
        "--devices",
        "4",
        "--home",
        str(home),
        "--serve",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Serving the demo on" in line:
                break
        out = "".join(lines)
        assert f"Serving the demo on http://127.0.0.1:{port}/" in out, out
        match = re.search(r"log in as 'admin' with the password (\S+) \(shown only now\)", out)
        assert match, out
        password = match.group(1)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    form = client.get("/login")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the demo's server did not answer"
                    time.sleep(0.2)
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
            logged_in = client.post(
                "/login", data={"username": "admin", "password": password, "csrf_token": token}
            )
            assert logged_in.status_code == 303, logged_in.text
            dashboard = client.get("/")
            assert dashboard.status_code == 200
            assert re.search(
                r'<span class="figure">4</span>\s*<a href="/devices">devices</a>', dashboard.text
            )
            assert 'href="/runs/2"' in dashboard.text and 'href="/runs/1"' in dashboard.text
        assert password not in (home / "netraven.sqlite3").read_bytes().decode("latin-1")  # stored hashed
    finally:
        stop_process(process)  # type: ignore[arg-type]
        if process.stdout is not None:
            process.stdout.close()
