"""The audit trail of CLI commands: the OS user (or --user) as actor, no secret, failures recorded,
``netraven audit list`` filters."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from netraven.cli import main

PASSWORD, SECRET = "Audit-Pass-9x!", "Audit-Enable-9x!"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def cli(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=input)


def entries(env: dict[str, str], *args: str) -> list[dict[str, object]]:
    result = cli(env, "audit", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["items"]  # type: ignore[no-any-return]


def table_dump(env: dict[str, str], table: str) -> str:
    engine = create_engine(env["NETRAVEN_DATABASE__URL"])
    try:
        with engine.connect() as conn:
            return json.dumps([tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}"))], default=str)
    finally:
        engine.dispose()


def test_changes_are_recorded_with_the_os_user_and_no_secret(env: dict[str, str]) -> None:
    assert cli(env, "device", "add", "r1", "--host", "192.0.2.1", "--platform", "cisco_ios").exit_code == 0
    added = cli(
        env, "credential", "add", "ops", "-u", "netops", "--device", "r1", input=f"{PASSWORD}\n{SECRET}\n"
    )
    assert added.exit_code == 0, added.output
    assert cli(env, "device", "edit", "r1", "--description", "core router").exit_code == 0
    assert cli(env, "keys", "rotate").exit_code == 0
    assert cli(env, "tag", "add", "core").exit_code == 0

    found = entries(env)
    assert [e["action"] for e in found] == [
        "tag.add",
        "keys.rotate",
        "device.edit",
        "credential.add",
        "device.add",
    ]
    assert {(e["actor"], e["actor_kind"], e["outcome"]) for e in found} == {
        (getpass.getuser(), "cli", "succeeded")
    }
    credential = found[3]
    assert credential["object_id"] == "ops" and credential["changes"]["password"] == "***"  # type: ignore[index]
    assert credential["changes"]["devices"] == ["r1"]  # type: ignore[index]
    assert found[2]["changes"] == {"description": [None, "core router"]}
    dump = table_dump(env, "audit_entries")
    assert PASSWORD not in dump and SECRET not in dump


def test_a_failed_change_is_recorded_and_the_database_unchanged(env: dict[str, str]) -> None:
    bad = cli(
        env,
        "--user",
        "ops-team",
        "device",
        "add",
        "r1",
        "--host",
        "not an address!",
        "--platform",
        "cisco_ios",
    )
    assert bad.exit_code == 1
    message = bad.output.strip().splitlines()[-1].removeprefix("Error: ")
    assert table_dump(env, "devices") == "[]"
    (entry,) = entries(env)
    assert (entry["action"], entry["object_type"], entry["object_id"], entry["outcome"], entry["actor"]) == (
        "device.add", "device", "r1", "failed", "ops-team"
    )  # fmt: skip
    assert entry["detail"] == message
    missing = cli(env, "job", "remove", "nightly", "--yes")
    assert missing.exit_code == 1
    assert entries(env, "--action", "job.remove")[0]["object_id"] == "nightly"
    assert cli(env, "device", "list", "--tag", "nope").exit_code == 0  # reading is never audited
    assert len(entries(env)) == 2


def test_audit_list_filters_and_pages(env: dict[str, str]) -> None:
    for name in ("a", "b", "c"):
        assert cli(env, "--user", "ann", "tag", "add", name).exit_code == 0
    assert cli(env, "--user", "bob", "tag", "remove", "a", "--yes").exit_code == 0
    assert [e["object_id"] for e in entries(env, "--actor", "ann")] == ["c", "b", "a"]
    assert [e["action"] for e in entries(env, "--action", "tag.*", "--limit", "1")] == ["tag.remove"]
    page = json.loads(cli(env, "audit", "list", "--json", "--limit", "2", "--offset", "1").output)
    assert (page["total"], [e["object_id"] for e in page["items"]]) == (4, ["c", "b"])
    assert entries(env, "--since", "1h", "--object-type", "tag")[0]["actor"] == "bob"
    assert entries(env, "--object-type", "device") == []
    table = cli(env, "audit", "list", "--limit", "2")
    assert "tag.remove" in table.output and "bob (cli)" in table.output
    assert "2 of 4 entries shown" in table.stderr
    bad = cli(env, "audit", "list", "--since", "yesterday-ish")
    assert bad.exit_code == 1 and "--since 'yesterday-ish'" in bad.output


def test_the_acting_user_is_a_printable_name(env: dict[str, str]) -> None:
    for bad, message in (("ops\x1b[2J", "contains a control character (U+001B)"), ("", "--user is empty")):
        result = cli(env, "--user", bad, "tag", "add", "core")
        assert result.exit_code == 1 and message in result.stderr and result.stderr.count("\n") == 1
    assert entries(env) == [] and json.loads(cli(env, "tag", "list", "--json").output) == []
    assert cli(env, "--user", " ops ", "tag", "add", "core").exit_code == 0
    assert entries(env)[0]["actor"] == "ops"
