"""``netraven device import --format oxidized|rancid`` through click: output, exit codes, no secret."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netraven.cli import main

SECRET = "Cli-Ox-Secret-3!"


@pytest.fixture
def env(new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url("sqlite")}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def test_oxidized_import_with_logins_and_a_site_map(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(f"core-1:10.0.0.1:iosxe:backup:{SECRET}:En-{SECRET}\nedge-1:10.0.0.2:junos\n")
    result = run(env, "device", "import", "--format", "oxidized", str(path), "--map", "iosxe=cisco_xe",
                 "--tag", "oxidized")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Imported 2 device(s) from router.db: 2 created, 0 updated, 1 new tag(s), "
        "1 credential(s) created, 0 reused.\n"
    )
    shown = run(env, "device", "show", "core-1", "--json")
    assert json.loads(shown.output)["platform"] == "cisco_xe"
    creds = run(env, "credential", "list", "--json")
    assert creds.exit_code == 0, creds.output
    assert [(c["name"], c["devices"]) for c in json.loads(creds.output)] == [("oxidized-backup", ["core-1"])]
    assert SECRET not in result.output + shown.output + creds.output


def test_rancid_json_and_no_credentials_flag(env: dict[str, str], tmp_path: Path) -> None:
    rancid = tmp_path / "router.db"
    rancid.write_text("core-1.example.net;cisco;up\nold-1.example.net;cisco-nx;down\n")
    result = run(env, "device", "import", "--format", "rancid", str(rancid), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 2
    oxidized = tmp_path / "oxidized.db"
    oxidized.write_text(f"r1:10.0.0.1:ios:backup:{SECRET}\n")
    result = run(env, "device", "import", "--format", "oxidized", "--no-credentials", str(oxidized))
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 login(s) left out (--no-credentials).\n")
    assert json.loads(run(env, "credential", "list", "--json").output) == []


def test_bad_lines_printed_by_number_nothing_written(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(f"ok-1:10.0.0.1:ios:backup:{SECRET}\nbad-1:10.0.0.2:ioss:backup:{SECRET}\n")
    result = run(env, "device", "import", "--format", "oxidized", str(path))
    assert result.exit_code == 1
    assert "line 2: unknown oxidized model 'ioss' (did you mean 'ios'?" in result.output
    assert "1 of 2 lines are invalid; nothing was imported" in result.output
    assert SECRET not in result.output
    assert json.loads(run(env, "device", "list", "--json").output) == []
    result = run(env, "device", "import", str(path), "--map", "x=cisco_ios")
    assert result.exit_code != 0 and "need --format oxidized or rancid" in result.output
