"""``netraven db`` through click and through the installed console script."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from netraven.cli import main
from netraven.db import migrate


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_current_downgrade(kind: str, new_database_url: Callable[[str], str]) -> None:
    runner = CliRunner()
    env = {"NETRAVEN_DATABASE__URL": new_database_url(kind)}
    result = runner.invoke(main, ["db", "current", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["current"] is None

    result = runner.invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert f"upgraded from empty to {migrate.head_revision()}" in result.output

    info = json.loads(runner.invoke(main, ["db", "current", "--json"], env=env).output)
    assert info["up_to_date"] is True and info["current"] == info["head"]

    result = runner.invoke(main, ["db", "downgrade", "base", "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(runner.invoke(main, ["db", "current", "--json"], env=env).output)["current"] is None


def test_default_database_is_sqlite_in_home(tmp_path: Path) -> None:
    env = {**os.environ, "NETRAVEN_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "netraven", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "home" / "netraven.sqlite3").is_file()


def test_bad_setting_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**os.environ, "NETRAVEN_RUNNER__NUM_WORKERS": "lots"}
    done = subprocess.run(
        [sys.executable, "-m", "netraven", "db", "current"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: runner.num_workers = 'lots' (from NETRAVEN_RUNNER__NUM_WORKERS): expected an integer from 1 to 10000"
    ]


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(main, ["--debug", "db", "current"], env={"NETRAVEN_RUNNER__NUM_WORKERS": "x"})
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "ConfigError"


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("netraven, version ")
