"""``netraven credential`` and ``netraven keys`` through the CLI; secrets never shown or echoed."""

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from netraven.cli import main

PASSWORD, SECRET = "Cli-Pass-9x!", "Cli-Enable-9x!"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def add(env: dict[str, str], *args: str) -> object:
    return CliRunner().invoke(
        main,
        ["credential", "add", "core-ops", "--username", "netops", "--priority", "5", "--tag", "core", *args],
        input=f"{PASSWORD}\n{SECRET}\n",
        env=env,
    )


def test_add_list_remove_without_showing_secrets(env: dict[str, str]) -> None:
    result = add(env)
    assert result.exit_code == 0, result.output
    assert "Credential 'core-ops' added (user netops, priority 5)." in result.output
    assert PASSWORD not in result.output and SECRET not in result.output  # prompts hide input

    listed = CliRunner().invoke(main, ["credential", "list", "--json"], env=env)
    rows = json.loads(listed.output)
    assert rows[0]["name"] == "core-ops" and rows[0]["tags"] == ["core"] and rows[0]["has_enable_secret"]
    assert PASSWORD not in listed.output and "encrypted" not in listed.output
    table = CliRunner().invoke(main, ["credential", "list"], env=env)
    assert "core-ops" in table.output and PASSWORD not in table.output

    with create_engine(env["NETRAVEN_DATABASE__URL"]).connect() as conn:
        stored = conn.execute(text("SELECT password_encrypted FROM credentials")).scalar_one()
        assert PASSWORD.encode() not in bytes(stored)

    duplicate = add(env)
    assert duplicate.exit_code == 1
    assert duplicate.output.strip().splitlines()[-1] == "Error: a credential named 'core-ops' already exists"

    removed = CliRunner().invoke(main, ["credential", "remove", "core-ops", "--yes"], env=env)
    assert removed.exit_code == 0
    assert json.loads(CliRunner().invoke(main, ["credential", "list", "--json"], env=env).output) == []


def test_keys_rotate_then_wrong_key_changes_nothing(env: dict[str, str]) -> None:
    assert add(env).exit_code == 0
    with create_engine(env["NETRAVEN_DATABASE__URL"]).connect() as conn:
        before = bytes(conn.execute(text("SELECT password_encrypted FROM credentials")).scalar_one())
    result = CliRunner().invoke(main, ["keys", "rotate"], env=env)
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 credential(s) under the new key; 1 old key(s) retired." in result.output
    with create_engine(env["NETRAVEN_DATABASE__URL"]).connect() as conn:
        after = bytes(conn.execute(text("SELECT password_encrypted FROM credentials")).scalar_one())
    assert after != before

    wrong = {**env, "NETRAVEN_CREDENTIALS__KEYS": "b" * 43 + "="}
    failed = CliRunner().invoke(main, ["keys", "rotate"], env=wrong)
    assert failed.exit_code == 1
    assert failed.output.strip() == (
        "Error: cannot decrypt a stored secret with the key(s) from credentials.keys: wrong or missing key"
    )
    with create_engine(env["NETRAVEN_DATABASE__URL"]).connect() as conn:
        assert bytes(conn.execute(text("SELECT password_encrypted FROM credentials")).scalar_one()) == after


def test_missing_schema_says_what_to_run(new_database_url: Callable[[str], str]) -> None:
    env = {"NETRAVEN_DATABASE__URL": new_database_url("sqlite")}
    result = CliRunner().invoke(main, ["credential", "list"], env=env)
    assert result.exit_code == 1
    assert "has no NetRaven schema: run 'netraven db upgrade'" in result.output


def test_a_deleted_key_file_is_not_silently_replaced(env: dict[str, str]) -> None:
    home = Path(os.environ["NETRAVEN_HOME"])
    assert add(env).exit_code == 0
    (home / "secret.key").unlink()  # the operator lost the key; the credential stays encrypted with it

    result = CliRunner().invoke(
        main, ["credential", "add", "other", "--username", "u", "--no-enable-secret"], input="pw\n", env=env
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: key file {home / 'secret.key'} is missing but 1 stored credential(s) are encrypted with it: "
        "restore it from your backup (or set credentials.keys), see docs/keys.md"
    )
    assert not (home / "secret.key").exists()  # no second key was made
    listed = json.loads(CliRunner().invoke(main, ["credential", "list", "--json"], env=env).output)
    assert [row["name"] for row in listed] == ["core-ops"]
