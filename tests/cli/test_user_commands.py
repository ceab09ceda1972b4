"""``netraven user`` and ``netraven token`` through the CLI: passwords and tokens never shown
(but a new token, once), stored hashed, every change and refusal in the audit trail."""

from __future__ import annotations

import json
import types
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from netraven.cli import main

PASSWORD = "a long enough password"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def cli(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--user", "tester", *args], env=env, input=input)


def rows(env: dict[str, str], query: str) -> list[tuple[object, ...]]:
    engine = create_engine(env["NETRAVEN_DATABASE__URL"])
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def audit(env: dict[str, str], *args: str) -> list[dict[str, object]]:
    result = cli(env, "audit", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    items: list[dict[str, object]] = json.loads(result.output)["items"]
    return items


def test_user_add_list_edit_passwd_remove(env: dict[str, str]) -> None:
    added = cli(env, "user", "add", "alice", "--role", "admin", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "User 'alice' added (admin)."
    (stored,) = rows(env, "SELECT password_hash FROM users WHERE username = 'alice'")[0]
    assert str(stored).startswith("$argon2id$") and PASSWORD not in str(stored)
    listed = cli(env, "user", "list", "--json")
    assert json.loads(listed.output)[0]["role"] == "admin" and "argon2" not in listed.output
    assert "alice" in cli(env, "user", "list").output

    assert cli(env, "user", "add", "bob", "--role", "operator", input=PASSWORD + "\n").exit_code == 0
    edited = cli(env, "user", "edit", "bob", "--role", "viewer", "--disable")
    assert edited.output.strip() == "User 'bob' is now viewer, disabled."
    assert (
        cli(env, "user", "passwd", "bob", "--password-stdin", input="another long password\n").exit_code == 0
    )
    assert cli(env, "user", "remove", "bob", "--yes").exit_code == 0
    assert [u["username"] for u in json.loads(cli(env, "user", "list", "--json").output)] == ["alice"]

    actions = [(e["action"], e["object_id"], e["actor"], e["actor_kind"]) for e in audit(env)]
    assert actions == [
        ("user.remove", "bob", "tester", "cli"),
        ("user.passwd", "bob", "tester", "cli"),
        ("user.edit", "bob", "tester", "cli"),
        ("user.add", "bob", "tester", "cli"),
        ("user.add", "alice", "tester", "cli"),
    ]
    everything = json.dumps(rows(env, "SELECT * FROM audit_entries"), default=str)
    assert PASSWORD not in everything and "another long password" not in everything


def test_the_password_is_prompted_twice_without_echo(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("netraven.cli.prompts.sys", types.SimpleNamespace(stdin=Terminal()))
    result = cli(env, "user", "add", "alice", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output and PASSWORD not in result.output
    mismatch = cli(env, "user", "add", "carol", input=f"{PASSWORD}\nsomething else entirely\n")
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output
    assert rows(env, "SELECT username FROM users") == [("alice",)]


def test_bad_input_changes_nothing_and_is_audited_as_failed(env: dict[str, str]) -> None:
    short = cli(env, "user", "add", "alice", "--password-stdin", input="short\n")
    assert short.exit_code == 1
    assert short.output.strip().splitlines()[-1] == (
        "Error: the password is too short: at least 12 characters (web.min_password_length)"
    )
    assert rows(env, "SELECT count(*) FROM users") == [(0,)]
    (entry,) = audit(env)
    assert (entry["action"], entry["object_id"], entry["outcome"], entry["actor"]) == (
        "user.add", "alice", "failed", "tester"
    )  # fmt: skip
    assert entry["detail"] == "the password is too short: at least 12 characters (web.min_password_length)"
    assert "short" not in json.dumps(entry["changes"])
    nothing = cli(env, "user", "edit", "alice")
    assert nothing.exit_code == 1 and "nothing to change" in nothing.output
    ghost = cli(env, "user", "remove", "ghost", "--yes")
    assert ghost.output.strip().splitlines()[-1] == "Error: no user 'ghost'"
    assert audit(env, "--action", "user.remove")[0]["outcome"] == "failed"


def test_token_create_shows_the_secret_once_then_list_and_revoke(env: dict[str, str]) -> None:
    assert cli(env, "user", "add", "alice", "--role", "operator", input=PASSWORD + "\n").exit_code == 0
    created = cli(env, "token", "create", "--user", "alice", "--name", "backup", "--expires", "30")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("nrt_") and "Copy it now" in created.stderr
    (stored,) = rows(env, "SELECT secret_hash FROM api_tokens")[0]
    assert stored != secret and secret not in json.dumps(rows(env, "SELECT * FROM api_tokens"), default=str)
    listed = cli(env, "token", "list", "--json")
    (token,) = json.loads(listed.output)
    assert secret not in listed.output and secret.startswith(token["prefix"])
    assert (token["user"], token["name"], token["role"], token["active"]) == (
        "alice",
        "backup",
        "operator",
        True,
    )
    assert "backup" in cli(env, "token", "list").output

    too_high = cli(env, "token", "create", "--user", "alice", "--name", "x", "--role", "admin")
    assert too_high.exit_code == 1 and "above the role of user 'alice'" in too_high.output
    assert (
        cli(env, "token", "revoke", str(token["id"])).output.strip()
        == f"Token {token['id']} 'backup' of alice revoked."
    )
    assert json.loads(cli(env, "token", "list", "--json").output) == []
    assert json.loads(cli(env, "token", "list", "--all", "--json").output)[0]["revoked_at"] is not None
    actions = [(e["action"], e["outcome"]) for e in audit(env, "--object-type", "token")]
    assert actions == [
        ("token.revoke", "succeeded"),
        ("token.create", "failed"),
        ("token.create", "succeeded"),
    ]
    assert secret not in json.dumps(rows(env, "SELECT * FROM audit_entries"), default=str)
