"""Every error reaches the user of the real ``netraven`` command as one line on stderr (#12, #13).

The traceback only with ``--debug``; nothing on stdout; exit status 1 for NetRaven's errors
(2 for click's bad-parameter errors, which keep click's usage hint above their one error line).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from netraven.cli import main
from netraven.simulator.process import FleetProcess
from tests.conftest import migrated_engine
from tests.inventory_plugin.conftest import load_fleet
from tests.runner.conftest import FAST, make_settings

NETRAVEN = str(Path(sys.executable).with_name("netraven"))
HUGE = str(2**64)  # past SQLite's INTEGER and PostgreSQL's bigint


def netraven(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NETRAVEN, *args], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, check=False)  # fmt: skip


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one ``Error:`` line of a failed command, checking there is nothing more to it."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": "postgresql://nobody@127.0.0.1:1/x"}
    done = netraven(env, "device", "list")
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr
        == "Error: cannot reach the database postgresql://nobody@127.0.0.1:1/x: connection refused\n"
    )


def test_debug_shows_the_traceback_and_no_password(tmp_path: Path) -> None:
    url = "postgresql://nobody:s3cret-pw@127.0.0.1:1/x?password=s3cret-query"
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": url}
    done = netraven(env, "device", "list")
    assert "s3cret" not in done.stderr
    assert (
        error_line(done)
        == "Error: cannot reach the database postgresql://nobody:***@127.0.0.1:1/x: connection refused"
    )

    debug = netraven(env, "--debug", "device", "list")
    assert debug.returncode == 1 and "s3cret" not in debug.stderr
    assert debug.stderr.startswith("Traceback") and "OperationalError" in debug.stderr
    assert debug.stderr.splitlines()[-1].startswith(
        "netraven.exceptions.DatabaseError: cannot reach the database"
    )


def test_a_missing_postgresql_database_is_one_line(tmp_path: Path, postgres_admin: Engine) -> None:
    url = postgres_admin.url.set(database="netraven_no_such_db").render_as_string(hide_password=False)
    done = netraven({"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": url}, "job", "list")
    assert error_line(done).endswith('/netraven_no_such_db: database "netraven_no_such_db" does not exist')


def test_an_unopenable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-directory").mkdir()
    url = f"sqlite:///{tmp_path}/a-directory"
    done = netraven({"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": url}, "device", "list")
    assert error_line(done) == f"Error: cannot reach the database {url}: unable to open database file"


@pytest.fixture(scope="module")
def fleet_env(db_engine: Engine) -> Iterator[dict[str, str]]:
    """Each kind of database, with one device r1, for commands given huge numbers (in-process:
    the error path is the same as the command's, and a process per case would take minutes)."""
    env = {"NETRAVEN_DATABASE__URL": db_engine.url.render_as_string(hide_password=False)}
    added = CliRunner().invoke(
        main, ["device", "add", "r1", "--host", "192.0.2.1", "--platform", "cisco_ios"], env=env
    )
    assert added.exit_code == 0, added.output
    yield env
    CliRunner().invoke(main, ["device", "remove", "r1", "--yes"], env=env)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("run", "show", HUGE), "Invalid value for 'RUN_ID'"),
        (("logs", "--run", HUGE), "Invalid value for '--run'"),
        (("logs", "--limit", HUGE), "Invalid value for '--limit'"),
        (("logs", "connection", "--run", HUGE, "--device", "r1"), "Invalid value for '--run'"),
        (("config", "show", "r1", "--version", HUGE), "Invalid value for '--version'"),
        (("config", "diff", "r1", "1", HUGE), "Invalid value for '[V2]'"),
        (("config", "history", "r1", "--limit", HUGE), "Invalid value for '--limit'"),
        (("job", "show", HUGE), f"no job named '{HUGE}'"),
        (("job", "runs", HUGE), f"no job named '{HUGE}'"),
        (("job", "runs", "--limit", HUGE), "Invalid value for '--limit'"),
        (("job", "create", "j", "--type", "backup", "--all", "--priority", HUGE),
         f"priority {HUGE} is outside -2147483647 to 2147483647"),
        (("device", "add", "r2", "--host", "192.0.2.2", "--platform", "cisco_ios", "--port", HUGE),
         f"port {HUGE} is outside 1-65535"),
        (("worker", "--workers", HUGE), "Invalid value for '--workers'"),
    ],
    ids=lambda value: " ".join(value).replace(HUGE, "HUGE") if isinstance(value, tuple) else "",
)  # fmt: skip
def test_huge_numbers_are_one_line(fleet_env: dict[str, str], args: tuple[str, ...], expected: str) -> None:
    result = CliRunner().invoke(main, list(args), env=fleet_env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (1, 2) and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and expected in errors[0], result.stderr


def test_a_run_prints_no_raw_library_lines(
    tmp_path: Path, new_database_url: Callable[[str], str], simulated_fleet: Callable[..., FleetProcess]
) -> None:
    """Hosts cut off mid-session make paramiko log socket errors and tracebacks; they belong in the
    application log, never on the run's stderr (progress and summary only)."""
    home = tmp_path / "home"
    settings = make_settings(home, NETRAVEN_CONNECTION__HOST_TIME_LIMIT="4")
    fleet = simulated_fleet(4, failures="0:hang_mid_output,1:drop_mid_output,2:hang_after_login")
    url = new_database_url("sqlite")
    with migrated_engine(url) as engine:
        load_fleet(engine, settings, fleet.devices, fleet.credentials, fleet.description["secret"])
    env = {**FAST, "NETRAVEN_HOME": str(home), "NETRAVEN_DATABASE__URL": url,
           "NETRAVEN_CONNECTION__HOST_TIME_LIMIT": "3", "NETRAVEN_CONNECTION__READ_TIMEOUT": "30"}  # fmt: skip
    done = netraven(env, "run", "backup", "--all")
    print(done.stderr)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Socket exception" not in done.stderr, done.stderr
    assert all(line.startswith(("run 1 backup", "Run 1 ")) for line in done.stderr.splitlines() if line), (
        done.stderr
    )


def test_library_log_records_go_to_the_application_log(tmp_path: Path) -> None:
    """paramiko's "Socket exception: Bad file descriptor (9)" (a socket closed under its reader
    thread) cannot be provoked on demand, so a command's process logs it as paramiko does."""
    script = (
        "import logging, sys\n"
        "from netraven.cli.application import Application\n"
        "app = Application(None, False, None)\n"
        "app.settings\n"
        "logging.getLogger('paramiko.transport').error('Socket exception: Bad file descriptor (9)')\n"
        "logging.getLogger('paramiko.transport').info('Connected (version 2.0, client OpenSSH)')\n"
        "logging.getLogger('netraven.runner').warning('run 1: a warning')\n"
        "app.close()\n"
    )
    env = {**os.environ, "NETRAVEN_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stderr == ""
    log = (tmp_path / "logs" / "netraven.log").read_text()
    assert "ERROR paramiko.transport: Socket exception: Bad file descriptor (9)" in log
    assert "WARNING netraven.runner: run 1: a warning" in log and "Connected" not in log
    assert (tmp_path / "logs" / "netraven.log").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("backend", "url", "shown"),
    [
        ("redis", "redis://nobody:s3cret@127.0.0.1:1/0", "redis://nobody:***@127.0.0.1:1/0"),
        ("postgres", "postgresql://nobody:s3cret@127.0.0.1:1/x", "postgresql://nobody:***@127.0.0.1:1/x"),
    ],
)
def test_an_unreachable_queue_is_one_line(
    fleet_env: dict[str, str], backend: str, url: str, shown: str
) -> None:
    runner = CliRunner()
    created = runner.invoke(
        main, ["job", "create", f"q-{backend}", "--type", "backup", "--all"], env=fleet_env
    )
    assert created.exit_code == 0, created.output
    env = {**fleet_env, "NETRAVEN_HUEY__BACKEND": backend, "NETRAVEN_HUEY__URL": url}
    result = runner.invoke(main, ["job", "run", f"q-{backend}"], env=env)
    runner.invoke(main, ["job", "remove", f"q-{backend}", "--yes"], env=fleet_env)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and "s3cret" not in result.output
    assert (
        result.stderr.startswith(f"Error: cannot reach the queue {shown}: ")
        and result.stderr.count("\n") == 1
    )
