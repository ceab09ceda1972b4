"""``netraven config`` through click, on SQLite and PostgreSQL, over versions saved by ConfigStore.

r1 has three versions (the third from a run, committed to git), r2 one version stored redacted,
r3 none. Times are shown in Europe/Paris (scheduler.timezone), one hour ahead of UTC in January.
"""

import json
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.cli.config import config as config_group
from netraven.configs import ConfigStore
from netraven.db.models import Device, JobRun
from netraven.db.session import create_engine_from_settings, create_session_factory
from netraven.settings import Settings, load_settings

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
COMMUNITY = "Sn1ffMe-Community"
TYPE7 = "0822455D0A16544541"


def config(host: str, *extra: str) -> str:
    lines = ["hostname " + host, "interface Gi1", " description uplink", " ip address 10.0.0.1 255.255.255.0",
             "!", "ntp server 192.0.2.10", *extra, "end"]  # fmt: skip
    return "".join(line + "\n" for line in lines)


R1 = [config("r1"), config("r1", "logging host 192.0.2.1"), config("r1", "logging host 192.0.2.2")]
R2 = config("r2", f"snmp-server community {COMMUNITY} RO", f"username admin password 7 {TYPE7}")


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {
        "NETRAVEN_DATABASE__URL": new_database_url(request.param),
        "NETRAVEN_SCHEDULER__TIMEZONE": "Europe/Paris",
    }
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    settings = load_settings(environ={**os.environ, **env})
    engine = create_engine_from_settings(settings)
    try:
        with create_session_factory(engine).begin() as session:
            save_versions(session, settings)
    finally:
        engine.dispose()
    return env


def save_versions(session: Session, settings: Settings) -> None:
    r1, r2, r3 = (
        Device(hostname=name, host="127.0.0.1", platform="cisco_ios") for name in ("r1", "r2", "r3")
    )
    run = JobRun(job_type="backup")
    session.add_all([r1, r2, r3, run])
    session.flush()
    store = ConfigStore(settings)
    for n, text in enumerate(R1):
        run_id = run.id if n == 2 else None
        store.save(session, r1.id, text, "cisco_ios", run_id=run_id, retrieved_at=T0 + timedelta(hours=n))
    store.commit_pending(session, run.id)
    redacting = ConfigStore(replace(settings, backup=replace(settings.backup, redact_stored=True)))
    redacting.save(session, r2.id, R2, "cisco_ios", retrieved_at=T0)


def run(env: dict[str, str], *args: str, **extra_env: str) -> Result:
    return CliRunner().invoke(main, ["config", *args], env={**env, "COLUMNS": "200", **extra_env})


def as_json(env: dict[str, str], *args: str) -> object:
    result = run(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_history(env: dict[str, str]) -> None:
    data = as_json(env, "history", "r1")
    assert isinstance(data, dict) and (data["hostname"], data["total_versions"]) == ("r1", 3)
    versions = data["versions"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert set(versions[0]) == {"version", "retrieved_at", "last_seen_at", "size_bytes", "changed_lines",
                                "run_id", "git_commit", "git_pending", "redacted", "command",
                                "unchecked", "keep", "previous"}  # fmt: skip
    assert [(v["keep"], v["previous"]) for v in versions] == [(False, 2), (False, 1), (False, None)]
    assert versions[0]["retrieved_at"] == versions[0]["last_seen_at"] == "2026-01-05T11:00:00+01:00"
    assert [v["changed_lines"] for v in versions] == [2, 1, None]
    assert [v["size_bytes"] for v in versions] == [len(t) for t in reversed(R1)]
    assert isinstance(versions[0]["run_id"], int) and versions[1]["run_id"] is None
    assert len(versions[0]["git_commit"]) == len(versions[1]["git_commit"]) == 40  # with a run or not
    assert versions[0]["git_commit"] != versions[1]["git_commit"]
    assert not any(v["redacted"] for v in versions)

    limited = as_json(env, "history", "r1", "--limit", "2")
    assert isinstance(limited, dict) and limited["total_versions"] == 3
    assert [v["version"] for v in limited["versions"]] == [3, 2]

    table = run(env, "history", "r1", "--limit", "2")
    assert table.exit_code == 0, table.output
    assert "Retrieved (Europe/Paris)" in table.output and "2026-01-05 11:00:00" in table.output
    assert versions[0]["git_commit"][:10] in table.output
    assert table.output.endswith("2 of 3 version(s); --limit 0 shows all\n")
    assert run(env, "history", "r1", "--limit", "0").output.endswith("3 of 3 version(s)\n")

    r2 = run(env, "history", "r2")
    assert "yes" in r2.output and r2.output.endswith("1 of 1 version(s)\n")
    assert run(env, "history", "r3").output == "No stored config for 'r3'.\n"
    assert as_json(env, "history", "r3") == {"hostname": "r3", "total_versions": 0, "versions": []}
    missing = run(env, "history", "nope")
    assert missing.exit_code == 1 and missing.stderr == "Error: no device named 'nope'\n"


def test_show(env: dict[str, str]) -> None:
    latest = run(env, "show", "r1")
    assert latest.exit_code == 0 and latest.output == R1[2]
    assert run(env, "show", "r1", "--version", "1").output == R1[0]
    data = as_json(env, "show", "r1", "--version", "2")
    assert isinstance(data, dict) and data["text"] == R1[1]
    assert len(data.pop("git_commit")) == 40
    assert {k: v for k, v in data.items() if k != "text"} == {
        "hostname": "r1", "version": 2, "retrieved_at": "2026-01-05T10:00:00+01:00", "redacted": False,
    }  # fmt: skip

    redacted = run(env, "show", "r2")
    assert "snmp-server community <redacted> RO" in redacted.output
    assert "password 7 <redacted>" in redacted.output
    assert as_json(env, "show", "r2") == {**as_json(env, "show", "r2"), "redacted": True}

    for args, message in [
        (("nope",), "no device named 'nope'"),
        (("r1", "--version", "9"), "device 'r1' has no version 9"),
        (("r3",), "device 'r3' has no stored config"),
    ]:
        result = run(env, "show", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    assert run(env, "show", "r1", "--version", "0").exit_code == 2


def test_diff(env: dict[str, str]) -> None:
    latest = run(env, "diff", "r1")
    assert latest.exit_code == 0
    assert latest.output == (
        "--- r1 version 2\n+++ r1 version 3\n@@ -4,5 +4,5 @@\n"
        "  ip address 10.0.0.1 255.255.255.0\n !\n ntp server 192.0.2.10\n"
        "-logging host 192.0.2.1\n+logging host 192.0.2.2\n end\n"
    )
    assert run(env, "diff", "r1", "1", "2", "--context", "0").output == (
        "--- r1 version 1\n+++ r1 version 2\n@@ -6,0 +7 @@\n+logging host 192.0.2.1\n"
    )
    assert run(env, "diff", "r1", "1", "--context", "1").output == (  # V1 against the latest
        "--- r1 version 1\n+++ r1 version 3\n@@ -6,2 +6,3 @@\n ntp server 192.0.2.10\n"
        "+logging host 192.0.2.2\n end\n"
    )
    assert run(env, "diff", "r1", "3", "1").output.startswith("--- r1 version 3\n+++ r1 version 1\n")
    assert run(env, "diff", "r1", "2", "2").output == "No differences (volatile lines left out).\n"
    assert "\x1b[" not in latest.output

    coloured = run(env, "diff", "r1", FORCE_COLOR="1")
    assert coloured.exit_code == 0 and "\x1b[" in coloured.output
    assert "+logging host 192.0.2.2" in coloured.output

    single = run(env, "diff", "r2")
    assert (single.exit_code, single.output) == (
        0,
        "r2 has a single stored version (1): nothing to compare.\n",
    )
    for args, message in [
        (("nope",), "no device named 'nope'"),
        (("r1", "1", "9"), "device 'r1' has no version 9"),
        (("r3",), "device 'r3' has fewer than two versions to compare"),
    ]:
        result = run(env, "diff", *args)
        assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")


def test_search(env: dict[str, str]) -> None:
    result = run(env, "search", "^logging host")
    assert (result.exit_code, result.output) == (0, "r1:7:logging host 192.0.2.2\n")  # latest versions only
    data = as_json(env, "search", "description", "--context", "1")
    assert data == [
        {"hostname": hostname, "version": version, "line_number": 3, "line": " description uplink",
         "before": ["interface Gi1"], "after": [" ip address 10.0.0.1 255.255.255.0"]}
        for hostname, version in (("r1", 3), ("r2", 1))
    ]  # fmt: skip

    merged = run(env, "search", "description|ip address", "--context", "1", "--device", "r1")
    assert merged.output == (
        "r1-2-interface Gi1\nr1:3: description uplink\nr1:4: ip address 10.0.0.1 255.255.255.0\nr1-5-!\n"
    )
    separate = run(env, "search", "^interface|^ntp", "--context", "1", "--device", "r1")
    assert separate.output == (
        "r1-1-hostname r1\nr1:2:interface Gi1\nr1-3- description uplink\n--\n"
        "r1-5-!\nr1:6:ntp server 192.0.2.10\nr1-7-logging host 192.0.2.2\n"
    )
    assert run(env, "search", "^hostname", "--device", "r2", "--device", "r1").output == (
        "r1:1:hostname r1\nr2:1:hostname r2\n"
    )
    assert run(env, "search", "community").output == "r2:7:snmp-server community <redacted> RO\n"
    assert run(env, "search", "no such line").output == "No matching lines.\n"

    bad = run(env, "search", "(unclosed")
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: invalid regular expression '(unclosed'")
    assert bad.stderr.count("\n") == 1
    unknown = run(env, "search", "x", "--device", "nope")
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no device named 'nope'\n")


def test_stored_secrets_never_printed(env: dict[str, str]) -> None:
    for args in (("history", "r2", "--json"), ("show", "r2"), ("show", "r2", "--json"), ("diff", "r2"),
                 ("search", ".", "--context", "3"), ("search", ".", "--json")):  # fmt: skip
        result = run(env, *args)
        assert result.exit_code == 0, args
        assert COMMUNITY not in result.output and TYPE7 not in result.output, args


def test_raw_secrets_are_masked_unless_revealed(env: dict[str, str]) -> None:
    old, new = "$9$oldhasholdhash", "$9$newhashnewhash"
    settings = load_settings(environ={**os.environ, **env})
    engine = create_engine_from_settings(settings)
    try:
        with create_session_factory(engine).begin() as session:
            r5 = Device(hostname="r5", host="127.0.0.1", platform="cisco_ios")
            session.add(r5)
            session.flush()
            store = ConfigStore(settings)  # backup.redact_stored is off: stored raw
            store.save(session, r5.id, config("r5", f"enable secret 9 {old}"), "cisco_ios", retrieved_at=T0)
            store.save(session, r5.id, config("r5", f"enable secret 9 {new}", "logging host 192.0.2.9"),
                       "cisco_ios", retrieved_at=T0 + timedelta(hours=1))  # fmt: skip
    finally:
        engine.dispose()

    for args in (("show", "r5"), ("show", "r5", "--json"), ("diff", "r5"), ("search", "secret"),
                 ("search", "secret", "--json")):  # fmt: skip
        masked = run(env, *args)
        assert masked.exit_code == 0, (args, masked.output)
        assert old not in masked.output and new not in masked.output, args
        assert "enable secret 9 <redacted>" in masked.output, args
        revealed = run(env, *args, "--reveal-secrets")
        assert revealed.exit_code == 0 and new in revealed.output, args
    assert "-enable secret 9 <redacted>\n+enable secret 9 <redacted>\n" in run(env, "diff", "r5").output
    assert f"+enable secret 9 {new}" in run(env, "diff", "r5", "--reveal-secrets").output


def test_keep_marks_a_version_and_is_audited(env: dict[str, str]) -> None:
    kept = run(env, "keep", "r1", "2")
    assert (kept.exit_code, kept.output) == (0, "r1 version 2 is kept.\n")
    assert run(env, "keep", "r1", "2").output == "r1 version 2 is kept (it already was).\n"
    versions = as_json(env, "history", "r1")["versions"]  # type: ignore[index]
    assert [v["keep"] for v in versions] == [False, True, False]
    assert "keep" in run(env, "history", "r1").output
    assert run(env, "keep", "r1", "2", "--unkeep").output == "r1 version 2 is no longer kept.\n"
    assert not any(v["keep"] for v in as_json(env, "history", "r1")["versions"])  # type: ignore[index]

    missing = run(env, "keep", "r1", "9")
    assert (missing.exit_code, missing.stderr) == (1, "Error: device 'r1' has no version 9\n")
    assert run(env, "keep", "r1", "0").exit_code == 2
    trail = CliRunner().invoke(main, ["audit", "list", "--json", "--action", "config.*"], env=env)
    rows = json.loads(trail.stdout)["items"]
    assert [(r["action"], r["object_id"], r["outcome"]) for r in reversed(rows)] == [
        ("config.keep", "r1", "succeeded"), ("config.unkeep", "r1", "succeeded"), ("config.keep", "r1", "failed"),
    ]  # fmt: skip
    assert rows[-1]["changes"] == {"version": 2, "keep": [False, True]}


def test_every_command_has_help() -> None:
    assert config_group.help
    for name, command in config_group.commands.items():
        assert command.help, name
        result = CliRunner().invoke(main, ["config", name, "--help"])
        assert result.exit_code == 0 and "Usage: main config " + name in result.output
