"""The data directory, the SQLite database, the queue, the key file and configs.git are owner-only
whatever the umask, and a command warns in one line when they are not (#13, data directory risk)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from netraven.cli import main
from netraven.configs.git_history import DeviceFile, GitHistory
from netraven.scheduler.queue import create_huey
from netraven.settings import load_settings


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The common default umask, under which plain mkdir/open give 755 and 644."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("loose_umask")
def test_created_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    env = {"NETRAVEN_HOME": str(home)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    added = CliRunner().invoke(main, ["credential", "add", "ops", "-u", "u", "--no-enable-secret"], env=env,
                               input="Pw-1\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    settings = load_settings(environ=env)
    GitHistory(settings.git_dir).commit(
        [DeviceFile(1, "r1", "hostname r1\nenable secret 5 $1$abc\n")], "run 1"
    )
    create_huey(settings)
    assert {p.name: oct(mode(p)) for p in (tmp_path / "new", home, settings.git_dir)} == dict.fromkeys(
        ("new", "home", "configs.git"), "0o700"
    )
    files = [home / "netraven.sqlite3", home / "huey.sqlite3", settings.key_file]
    files += [p for p in home.glob("*.sqlite3-*")]  # SQLite's WAL and shared-memory files
    assert {p.name: oct(mode(p)) for p in files} == {p.name: "0o600" for p in files}
    # dulwich writes its objects 0444 inside: others cannot reach them through the 0700 directory.
    assert any(settings.git_dir.joinpath("objects").rglob("*"))


def test_warns_in_one_line_when_others_can_read(tmp_path: Path) -> None:
    env = {"NETRAVEN_HOME": str(tmp_path / "home")}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    quiet = CliRunner().invoke(main, ["device", "list", "--json"], env=env)
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    os.chmod(tmp_path / "home", 0o755)
    os.chmod(tmp_path / "home" / "netraven.sqlite3", 0o644)
    warned = CliRunner().invoke(main, ["device", "list", "--json"], env=env)
    assert warned.exit_code == 0 and warned.stdout.strip() == "[]"
    assert warned.stderr.count("\n") == 1 and warned.stderr.startswith("Warning: readable by other users")
    assert "home (mode 755)" in warned.stderr and "netraven.sqlite3 (mode 644)" in warned.stderr
