"""``netraven logs`` after a real backup run against a simulated fleet with a refused device."""

import json

from click.testing import CliRunner, Result
from sqlalchemy import Engine

from netraven.cli import main
from netraven.settings import Settings
from tests.runner.conftest import FAST


def invoke(engine: Engine, settings: Settings, *args: str) -> Result:
    env = {**FAST, "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
           "NETRAVEN_HOME": settings.home.as_posix()}  # fmt: skip
    return CliRunner().invoke(main, list(args), env=env)


def test_logs_of_a_backup_run(engine: Engine, settings: Settings, lab) -> None:
    fleet = lab(3, platforms=("cisco_ios",), failures="2:refuse")
    ok, refused = fleet.devices[0]["hostname"], fleet.devices[2]["hostname"]
    assert invoke(engine, settings, "run", "backup", "--tag", "lab").exit_code == 3

    warnings = invoke(engine, settings, "logs", "--run", "1", "--level", "WARNING")
    assert warnings.exit_code == 0, warnings.output
    lines = warnings.stdout.splitlines()
    assert lines and all(refused in line and ok not in line for line in lines)  # login retries, then:
    assert "ERROR" in lines[-1] and " backup " in lines[-1]
    assert lines[-1].endswith(f"{refused}  backup      failed: connection refused")
    rows = [
        json.loads(line)
        for line in invoke(engine, settings, "logs", "--run", "1", "--json").stdout.splitlines()
    ]
    assert {(r["hostname"], r["category"]) for r in rows} >= {(ok, "connection"), (ok, "backup"),
                                                             (refused, "backup")}  # fmt: skip

    shown = invoke(engine, settings, "logs", "connection", "--run", "1", "--device", ok)
    assert shown.exit_code == 0, shown.output
    transcript = shown.stdout
    assert f"{ok}#" in transcript and "show running-config" in transcript
    secrets = {c["password"] for c in fleet.credentials} | {fleet.description["secret"]}
    assert all(secret not in transcript for secret in secrets)
    data = json.loads(
        invoke(engine, settings, "logs", "connection", "--run", "1", "--device", ok, "--json").stdout
    )
    assert data["hostname"] == ok and all(secret not in data["transcript"] for secret in secrets)

    missing = invoke(engine, settings, "logs", "connection", "--run", "1", "--device", refused)
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"Error: run 1 has no connection transcript for {refused!r}\n",
    )
