"""``netraven tag`` through click, on SQLite and PostgreSQL."""

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from netraven.cli import main
from netraven.cli.tag import tag


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=input)


def test_add_list_remove(env: dict[str, str]) -> None:
    result = run(env, "tag", "add", "site-a", "--type", "site", "--description", "Paris")
    assert result.exit_code == 0 and result.output == "Tag 'site-a' added (type site).\n"
    assert run(env, "device", "add", "r1", "--host", "10.0.0.1", "--platform", "cisco_ios", "--tag", "site-a",
               "--tag", "core").exit_code == 0  # fmt: skip

    rows = json.loads(run(env, "tag", "list", "--json").output)
    assert rows == [
        {"name": "core", "type": "custom", "description": None, "devices": 1},
        {"name": "site-a", "type": "site", "description": "Paris", "devices": 1},
    ]
    table = run(env, "tag", "list")
    assert table.exit_code == 0 and "site-a" in table.output and "Paris" in table.output

    assert run(env, "tag", "remove", "site-a", input="n\n").exit_code == 1
    result = run(env, "tag", "remove", "site-a", "--yes")
    assert result.exit_code == 0 and result.output == "Tag 'site-a' removed.\n"
    device = json.loads(run(env, "device", "show", "r1", "--json").output)
    assert device["tags"] == ["core"]


def test_errors(env: dict[str, str]) -> None:
    assert run(env, "tag", "add", "core").exit_code == 0
    result = run(env, "tag", "add", "core")
    assert result.exit_code == 1 and result.stderr == "Error: a tag named 'core' already exists\n"
    assert run(env, "tag", "add", "a;b").stderr == "Error: tag name 'a;b' contains ';' or '|'\n"
    assert run(env, "tag", "remove", "nope", "--yes").stderr == "Error: no tag named 'nope'\n"


def test_every_command_has_help() -> None:
    for name, command in tag.commands.items():
        assert command.help, name
        assert CliRunner().invoke(main, ["tag", name, "--help"]).exit_code == 0
