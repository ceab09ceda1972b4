"""Rows stored before names were checked (or text from devices) are printed escaped: no terminal
escape code, no forged line, no rich markup read from data (defect 10 of #13)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import Credential, Device, JobLog, JobRun, Tag

HOSTNAME = "\x1b[2J\x1b[31mevil\x1b[0m [bold]x[/bold]"
MESSAGE = "done\n2025-03-01 12:00:00 UTC  ERROR     run 9  core-1  backup  forged\x07"


def _seed(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        tag = Tag(name="t\x1b[5m", description="d\r\n")
        device = Device(
            hostname=HOSTNAME, host="10.0.0.1", platform="cisco_ios", description="a\x01b", tags=[tag]
        )
        run = JobRun(job_type="backup")
        session.add_all(
            [device, run, Credential(name="c\x1b]0;title\x07", username="u\n", password_encrypted=b"x")]
        )
        session.flush()
        session.add(
            JobLog(run_id=run.id, device_id=device.id, level="INFO", category="backup", message=MESSAGE)
        )


def test_stored_control_characters_are_escaped(fresh_engine: Engine) -> None:
    _seed(fresh_engine)
    env = {"NETRAVEN_DATABASE__URL": fresh_engine.url.render_as_string(hide_password=False), "COLUMNS": "300"}
    for args in (
        ["device", "list"],
        ["device", "show", HOSTNAME.strip()],
        ["tag", "list"],
        ["credential", "list"],
    ):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, (args, result.output)
        assert not any(c in result.output for c in "\x1b\x00\x07\r"), (args, result.output)
    listed = CliRunner().invoke(main, ["device", "list"], env=env).output
    assert r"\x1b[31mevil" in listed and "[bold]x[/bold]" in listed and r"a\x01b" in listed

    logs = CliRunner().invoke(main, ["logs", "--run", "1"], env=env)
    assert logs.exit_code == 0, logs.output
    assert logs.output.count("\n") == 1 and r"done\n2025-03-01" in logs.output and r"\x1b[2J" in logs.output

    rows = json.loads(CliRunner().invoke(main, ["device", "list", "--json"], env=env).output)
    assert [row["hostname"] for row in rows] == [HOSTNAME]  # JSON escapes by itself, and keeps the value
