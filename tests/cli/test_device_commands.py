"""``netraven device`` through click, on SQLite and PostgreSQL: output, exit codes and JSON."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from netraven.cli import main
from netraven.cli.device import device

SECRET = "Import-Secret-7!"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["device", *args], env=env, input=input)


def listed(env: dict[str, str], *args: str) -> list[dict[str, object]]:
    result = run(env, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_add_list_show_edit_remove(env: dict[str, str]) -> None:
    result = run(env, "add", "core-1", "--host", "10.0.0.1", "--platform", "cisco_ios", "--tag", "site-a",
                 "--tag", "core", "--description", "Core one")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "Device 'core-1' added (cisco_ios at 10.0.0.1:22).\n"
    assert run(env, "add", "lab-1", "--host", "lab-1.example.net", "--platform", "arista_eos", "--port", "2222",
               "--disabled").exit_code == 0  # fmt: skip

    assert [d["hostname"] for d in listed(env)] == ["core-1", "lab-1"]
    assert [d["hostname"] for d in listed(env, "--tag", "core")] == ["core-1"]
    assert [d["hostname"] for d in listed(env, "--platform", "arista_eos")] == ["lab-1"]
    assert [d["hostname"] for d in listed(env, "--disabled")] == ["lab-1"]
    table = run(env, "list")
    assert table.exit_code == 0 and "core-1" in table.output and "2 device(s)" in table.output

    shown = json.loads(run(env, "show", "core-1", "--json").output)
    assert {k: shown[k] for k in ("host", "port", "platform", "enabled", "tags", "description")} == {
        "host": "10.0.0.1", "port": 22, "platform": "cisco_ios", "enabled": True, "tags": ["core", "site-a"],
        "description": "Core one"}  # fmt: skip
    assert "tags:               core, site-a" in run(env, "show", "core-1").output

    result = run(
        env, "edit", "core-1", "--port", "830", "--disable", "--add-tag", "edge", "--remove-tag", "core"
    )
    assert result.exit_code == 0 and result.output == "Device 'core-1' updated.\n"
    shown = json.loads(run(env, "show", "core-1", "--json").output)
    assert (shown["port"], shown["enabled"], shown["tags"]) == (830, False, ["edge", "site-a"])

    assert run(env, "remove", "core-1", input="n\n").exit_code == 1  # declined: aborted, kept
    result = run(env, "remove", "core-1", "--yes")
    assert result.exit_code == 0 and result.output == "Device 'core-1' removed.\n"
    assert [d["hostname"] for d in listed(env)] == ["lab-1"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["add", "r1", "--host", "300.1.1.1", "--platform", "cisco_ios"],
         "Error: bad address '300.1.1.1': not a valid IPv4 address"),
        (["add", "r1", "--host", "10.0.0.1", "--platform", "cisco_iso"],
         "Error: unknown platform 'cisco_iso' (did you mean cisco_ios?)"),
        (["add", "r1", "--host", "10.0.0.1", "--platform", "cisco_ios", "--port", "0"],
         "Error: port 0 is outside 1-65535"),
        (["show", "nope"], "Error: no device named 'nope'"),
        (["edit", "nope", "--port", "23"], "Error: no device named 'nope'"),
        (["remove", "nope", "--yes"], "Error: no device named 'nope'"),
    ],
)  # fmt: skip
def test_errors_are_one_line(env: dict[str, str], args: list[str], error: str) -> None:
    result = run(env, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [error]
    assert listed(env) == []


def test_duplicate_and_nothing_to_edit(env: dict[str, str]) -> None:
    args = ["add", "r1", "--host", "10.0.0.1", "--platform", "cisco_ios"]
    assert run(env, *args).exit_code == 0
    assert run(env, *args).stderr == "Error: a device named 'r1' already exists\n"
    result = run(env, "edit", "r1")
    assert result.exit_code == 2 and "nothing to change" in result.stderr


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join(["hostname,address,device_type,port,tags,password", *rows]) + "\n")
    return path


def test_import_csv_and_update(env: dict[str, str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fleet.csv", f"r1,10.0.0.1,cisco_ios,,core;site-a,{SECRET}",
                     f"r2,10.0.0.2,juniper_junos,830,site-a,{SECRET}")  # fmt: skip
    result = run(env, "import", str(path), "--tag", "imported")
    assert result.exit_code == 0, result.output
    assert result.output == "Imported 2 device(s) from fleet.csv: 2 created, 0 updated, 3 new tag(s).\n"
    assert [d["tags"] for d in listed(env)] == [["core", "imported", "site-a"], ["imported", "site-a"]]

    refused = run(env, "import", str(path), "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.output)["errors"] == [
        "row 1: a device named 'r1' already exists", "row 2: a device named 'r2' already exists"]  # fmt: skip
    updated = run(env, "import", str(path), "--update", "--json")
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.output) == {
        "imported": True,
        "total": 2,
        "created": 0,
        "updated": 2,
        "tags_created": 0,
    }


def test_bad_import_prints_every_error_and_writes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", f"ok,10.0.0.1,cisco_ios,,,{SECRET}", f"bad,300.1.1.1,foo,,,{SECRET}",
                     f"ok,10.0.0.3,cisco_ios,70000,,{SECRET}")  # fmt: skip
    result = run(env, "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 2: bad address '300.1.1.1': not a valid IPv4 address",
        "row 2: unknown platform 'foo' (expected a netmiko device type such as cisco_ios)",
        "row 3: port 70000 is outside 1-65535",
        "Error: 2 of 3 rows are invalid; nothing was imported",
    ]
    assert SECRET not in result.output
    assert listed(env) == []
    assert json.loads(CliRunner().invoke(main, ["tag", "list", "--json"], env=env).output) == []


def test_import_simulator_fleet_yaml(env: dict[str, str], tmp_path: Path) -> None:
    from netraven.simulator import build_fleet
    from netraven.simulator.inventory import write_inventory

    spec = build_fleet(3, platforms=("cisco_ios", "cisco_nxos"))
    write_inventory(tmp_path / "fleet.yaml", spec)
    result = run(env, "import", str(tmp_path / "fleet.yaml"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 3
    assert {d["hostname"] for d in listed(env)} == {d.hostname for d in spec.devices}


def test_every_command_has_help() -> None:
    for name, command in device.commands.items():
        assert command.help, name
        assert CliRunner().invoke(main, ["device", name, "--help"]).exit_code == 0


def test_transport(env: dict[str, str]) -> None:
    result = run(
        env, "add", "old-1", "--host", "10.0.0.9", "--platform", "cisco_ios", "--transport", "telnet"
    )
    assert result.output == "Device 'old-1' added (cisco_ios at 10.0.0.9:23).\n"
    assert listed(env)[0]["transport"] == "telnet"
    refused = run(env, "add", "fw-1", "--host", "10.0.0.8", "--platform", "fortinet", "--transport", "telnet")
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "Error: platform 'fortinet' has no telnet driver in netmiko; use ssh"
    ]
    assert [d["hostname"] for d in listed(env)] == ["old-1"]
    assert run(env, "edit", "old-1", "--transport", "").exit_code == 0
    assert listed(env)[0]["transport"] is None
    tag = CliRunner().invoke(main, ["tag", "add", "legacy", "--transport", "telnet"], env=env)
    assert tag.exit_code == 0, tag.output
