"""``netraven logs`` and ``netraven logs connection`` through click, on SQLite and PostgreSQL."""

import json
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.cli.logs import logs
from netraven.db import create_engine_for_url
from netraven.db.models import JobLog
from tests.logs.conftest import Seeded, seed


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param),
           "NETRAVEN_SCHEDULER__TIMEZONE": "Europe/Paris"}  # fmt: skip
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


@pytest.fixture
def sessions(env: dict[str, str]) -> Iterator[Callable[[], Session]]:
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    yield lambda: Session(engine)
    engine.dispose()


@pytest.fixture
def seeded(sessions: Callable[[], Session]) -> Seeded:
    with sessions() as session, session.begin():
        return seed(session)


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, ["logs", *args], env=env)


def test_lines_for_people(env: dict[str, str], seeded: Seeded) -> None:
    result = run(env)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout.splitlines()
    assert len(out) == 10
    assert out[0] == (
        "2025-03-01 13:00:00 CET  INFO      run 1  r1         connection  r1: login as admin (lab): success"
    )
    assert out[5].endswith("CRITICAL  run 2  r2         backup      r2: failed: [bold]disk[/bold] full")
    assert out[7].split() == ["2025-03-01", "13:07:00", "CET", "WARNING", "run", "3", "-", "command", "run",
                              "without", "a", "device"]  # fmt: skip
    assert "-      legacy-sw  imported" in out[8]
    assert run(env, "list").stdout == result.stdout


def messages(env: dict[str, str], *args: str) -> list[str]:
    return [json.loads(line)["message"] for line in run(env, *args, "--json").stdout.splitlines()]


def test_filters_with_and_without_the_list_verb(env: dict[str, str], seeded: Seeded) -> None:
    short = run(env, "--run", "1", "--level", "warning")
    assert short.exit_code == 0 and len(short.stdout.splitlines()) == 2
    assert "r2: failed: authentication failed" in short.stdout
    assert run(env, "list", "--run", "1", "--level", "warning").stdout == short.stdout
    assert messages(env, "--run", "1", "--level", "warning") == [
        "r2: login as admin (lab): authentication failed",
        "r2: failed: authentication failed",
    ]
    assert len(messages(env, "--job", "nightly")) == 6
    assert len(messages(env, "--job", "1", "--device", "r2")) == 3
    assert len(messages(env, "--category", "command")) == 3
    window = ("--since", "2025-03-01T13:07", "--until", "2025-03-01T12:09+00:00")
    assert messages(env, *window) == ["run without a device", "legacy line"]
    assert run(env, "--since", "1h").stderr == "No log lines match.\n"


def test_limit_shows_the_newest_and_says_so(env: dict[str, str], seeded: Seeded) -> None:
    result = run(env, "--limit", "2")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert result.stdout.splitlines()[-1].endswith("r2: succeeded: 2 commands")
    assert result.stderr == "Older lines not shown: raise --limit (2) or narrow the filters.\n"
    assert messages(env, "--limit", "2") == ["legacy line", "r2: succeeded: 2 commands"]
    assert run(env, "--limit", "10").stderr == ""


def test_json_lines(env: dict[str, str], seeded: Seeded) -> None:
    result = run(env, "--device", "r2", "--level", "error", "--json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [
        {"id": seeded.logs[3], "timestamp": "2025-03-01T13:03:00+01:00", "level": "ERROR", "category": "backup",
         "run_id": seeded.runs[0], "device_id": seeded.devices["r2"], "hostname": "r2",
         "message": "r2: failed: authentication failed", "details": {}},
        {"id": seeded.logs[5], "timestamp": "2025-03-01T13:05:00+01:00", "level": "CRITICAL",
         "category": "backup", "run_id": seeded.runs[1], "device_id": seeded.devices["r2"], "hostname": "r2",
         "message": "r2: failed: [bold]disk[/bold] full", "details": {}},
    ]  # fmt: skip
    assert run(env, "--since", "1h", "--json").stdout == ""


def test_bad_filters_are_one_line(env: dict[str, str], seeded: Seeded) -> None:
    cases = {
        ("--run", "42"): "Error: no run with id 42\n",
        ("--job", "weekly"): "Error: no job named 'weekly'\n",
        ("--job", "7"): "Error: no job with id 7\n",
        ("--device", "ghost"): "Error: no device named 'ghost'\n",
        ("--level", "loud"): "Error: unknown level 'loud' (known: DEBUG, INFO, WARNING, ERROR, CRITICAL)\n",
        ("--since", "yesterday"): "Error: --since 'yesterday': expected a duration ago (30m, 1h, 2d) or an "
        "ISO time (2025-06-01T02:00)\n",
        ("--since", "1h", "--until", "2h"): "Error: since must be before until\n",
        ("--limit", "0"): "Error: limit must be at least 1, not 0\n",
        (
            "--follow",
            "--until",
            "1h",
        ): "Error: --follow shows new lines, it cannot be combined with --until\n",
        ("connection", "--run", "1", "--device", "ghost"): "Error: run 1 has no connection transcript for "
        "'ghost'\n",
        ("connection", "--run", "42", "--device", "r1"): "Error: no run with id 42\n",
    }
    for args, message in cases.items():
        result = run(env, *args)
        assert (result.exit_code, result.stderr, result.stdout) == (1, message, ""), args


def test_follow_prints_lines_inserted_meanwhile(
    env: dict[str, str], seeded: Seeded, sessions: Callable[[], Session]
) -> None:
    def insert_later() -> None:
        time.sleep(0.8)
        with sessions() as session, session.begin():
            session.add(JobLog(run_id=seeded.runs[2], level="ERROR", category="command", message="late"))
            session.add(JobLog(run_id=seeded.runs[1], level="ERROR", category="backup", message="other run"))

    writer = threading.Thread(target=insert_later)
    writer.start()
    started = time.monotonic()
    result = run(env, "--run", str(seeded.runs[2]), "--follow", "--follow-seconds", "2.5", "--json")
    writer.join()
    assert result.exit_code == 0, result.output
    assert 2.5 <= time.monotonic() - started < 10
    messages = [json.loads(line)["message"] for line in result.stdout.splitlines()]
    assert messages == ["r1: succeeded: 2 commands", "run without a device", "r2: succeeded: 2 commands",
                        "late"]  # fmt: skip

    people = run(env, "--level", "critical", "-f", "--follow-seconds", "0.1")
    assert people.exit_code == 0 and people.stderr == "" and len(people.stdout.splitlines()) == 1


def test_connection_transcript(env: dict[str, str], seeded: Seeded) -> None:
    result = run(env, "connection", "--run", "1", "--device", "r2")
    assert result.exit_code == 0
    header, *transcript = result.stdout.splitlines()
    assert header.startswith("Run 1, r2, ") and header.endswith(("CET:", "CEST:"))
    assert transcript == ["r2#show running-config", "hostname r2"]
    data = json.loads(run(env, "connection", "--run", "1", "--device", "r1", "--json").stdout)
    assert data["transcript"] == "r1#show running-config\nhostname r1\n"
    assert (data["run_id"], data["hostname"], data["device_id"]) == (1, "r1", seeded.devices["r1"])
    assert data["timestamp"].endswith(("+01:00", "+02:00"))


def test_every_command_has_help() -> None:
    for name, command in logs.commands.items():
        assert command.help, name
        assert CliRunner().invoke(main, ["logs", name, "--help"]).exit_code == 0
    group = CliRunner().invoke(main, ["logs", "--help"])
    assert group.exit_code == 0 and "netraven logs list" in group.output and "connection" in group.output
    listing = CliRunner().invoke(main, ["logs", "list", "--help"]).output
    assert "--follow" in listing and "JSON lines" in listing and "--follow-seconds" not in listing
