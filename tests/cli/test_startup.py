"""Commands import only what they use: help and completion nothing heavy, ``device list`` no device
stack and no ORM.

Each check runs in a fresh interpreter and reads its ``sys.modules`` at the end.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from netraven.cli import main

# the libraries that make start-up slow; help text is click's own, so rich is not needed either
HEAVY = ("sqlalchemy", "alembic", "netmiko", "paramiko", "asyncssh", "nornir", "huey", "cryptography",
         "dulwich", "croniter", "rich", "psycopg2", "argon2", "jwt", "fastapi", "uvicorn")  # fmt: skip
DEVICE_STACK = ("netmiko", "paramiko", "asyncssh", "nornir", "huey", "cryptography", "dulwich", "alembic")

WALK = """
import json, sys
import click
from click.testing import CliRunner
from netraven.cli import main

def walk(group, path=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))

for path in [(), *walk(main)]:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output, (path, result.output)
for shell in ("bash", "zsh", "fish"):
    assert CliRunner().invoke(main, ["completion", shell]).exit_code == 0
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(names))


def test_help_of_every_command_and_completion_import_nothing_heavy() -> None:
    modules = modules_after(WALK)
    assert "netraven.cli.device.list" in modules  # the walk is real: every verb was loaded
    assert loaded(modules, HEAVY) == []


def test_shell_completion_imports_nothing_heavy() -> None:
    code = (
        "import json, sys\nfrom netraven.cli import main\n"
        "try:\n    main(prog_name='netraven')\nexcept SystemExit:\n    pass\nprint(json.dumps(sorted(sys.modules)))"
    )
    for words in ("netraven con", "netraven device l", "netraven run show --"):
        env = {
            "_NETRAVEN_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(words.count(" ")),
        }
        assert loaded(modules_after(code, env), HEAVY) == [], words


def test_device_list_imports_no_device_stack(tmp_path: Path) -> None:
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    code = (
        "import json, sys\nfrom netraven.cli import main\n"
        "try:\n    main(['device', 'list'])\nexcept SystemExit as exc:\n    assert not exc.code\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    modules = modules_after(code, env)
    assert "sqlalchemy" in modules  # it did read the database
    assert loaded(modules, DEVICE_STACK) == []
    # SQLAlchemy Core only: the ORM and the mapped models cost a fifth of a second to import
    assert sorted(m for m in modules if m.startswith(("sqlalchemy.orm", "netraven.db.models"))) == []


def test_the_command_keeps_its_exit_status_and_skips_the_final_collection() -> None:
    code = (
        "import atexit, gc, sys\nfrom netraven.cli import run\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\nrun()"
    )
    for args, status in ((["--version"], 0), (["no-such-command"], 2)):
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
        )
        assert done.returncode == status, done.stderr
        frozen = int(done.stdout.rsplit("frozen", 1)[1])
        assert frozen > 1000  # everything the command created was frozen before the interpreter's exit
