"""``netraven run`` and ``netraven run show`` through click, against a simulated fleet."""

import json

from click.testing import CliRunner, Result
from sqlalchemy import Engine

from netraven.cli import main
from netraven.cli.run import run as run_group
from netraven.settings import Settings
from tests.runner.conftest import FAST


def invoke(engine: Engine, settings: Settings, *args: str) -> Result:
    env = {**FAST, "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
           "NETRAVEN_HOME": settings.home.as_posix()}  # fmt: skip
    return CliRunner().invoke(main, ["--user", "alice", *args], env=env)


def test_run_backup_then_show(engine: Engine, settings: Settings, lab) -> None:
    fleet = lab(3, failures="2:refuse")
    result = invoke(engine, settings, "run", "backup", "--tag", "lab")
    assert result.exit_code == 3, result.output
    refused = fleet.devices[2]["hostname"]
    assert (
        "Run 1 partial: 2/3 hosts succeeded, 1 failed (1 connection), 2 changed. git commit" in result.stdout
    )
    assert refused in result.stdout and "connection refused" in result.stdout

    report = json.loads(invoke(engine, settings, "run", "backup", "--device", fleet.devices[0]["hostname"],
                               "--json").stdout)  # fmt: skip
    assert report["status"] == "succeeded" and report["hosts_total"] == 1
    assert report["hosts"][0]["changed"] is False and report["message"] is None
    assert (
        invoke(engine, settings, "run", "start", "backup", "--device", fleet.devices[0]["hostname"]).exit_code
        == 0
    )

    shown = json.loads(invoke(engine, settings, "run", "show", "1", "--json").stdout)
    assert (shown["status"], shown["triggered_by"], shown["hosts_failed"]) == ("partial", "alice", 1)
    assert [h["status"] for h in shown["hosts"]] == ["succeeded", "succeeded", "failed"]
    assert shown["hosts"][2]["error_kind"] == "connection" and shown["targets"]["tags"] == ["lab"]
    table = invoke(engine, settings, "run", "show", "1", "--failed")
    assert refused in table.stdout and fleet.devices[0]["hostname"] not in table.stdout


def test_bad_input_is_one_line_and_writes_nothing(engine: Engine, settings: Settings) -> None:
    cases = {
        ("run", "backup"): "Error: no targets: give --device, --tag or --all (the whole fleet)\n",
        ("run", "backup", "--all", "--tag", "x"): "Error: give either --all or --device/--tag, not both\n",
        ("run", "backup", "--device", "ghost"): "Error: no device named 'ghost'\n",
        ("run", "bakup", "--all"): "Error: unknown job type 'bakup' (known: backup, command, reachability)\n",
        ("run", "command", "--all"): "Error: job type 'command': parameter 'commands' is required "
        "(list[str]: commands to run, comma-separated)\n",
        ("run", "backup", "--all", "--param", "x"): "Error: parameter 'x': expected NAME=VALUE\n",
        ("run", "show", "42"): "Error: no run with id 42\n",
    }
    for args, message in cases.items():
        result = invoke(engine, settings, *args)
        assert (result.exit_code, result.stderr) == (1, message), args
    assert invoke(engine, settings, "job", "runs", "--json").stdout.strip() == "[]"


def test_every_command_has_help() -> None:
    for name, command in run_group.commands.items():
        assert command.help, name
        assert CliRunner().invoke(main, ["run", name, "--help"]).exit_code == 0
    assert "Exit status" in CliRunner().invoke(main, ["run", "--help"]).output


def test_run_show_includes_each_hosts_stored_output(engine: Engine, settings: Settings, lab) -> None:
    fleet = lab(2, platforms=("cisco_ios", "juniper_junos"))
    ios, junos = (d["hostname"] for d in fleet.devices)
    assert (
        invoke(engine, settings, "run", "command", "--all", "--param", "commands=show version").exit_code == 0
    )

    shown = json.loads(invoke(engine, settings, "run", "show", "1", "--json").stdout)
    outputs = {h["hostname"]: h["output"] for h in shown["hosts"]}
    assert outputs[ios]["summary"] == "1 command run"
    assert outputs[ios]["commands"][0]["command"] == "show version"
    assert "Cisco IOS Software" in outputs[ios]["commands"][0]["output"]
    assert "Junos: 21.4R3.15" in outputs[junos]["commands"][0]["output"]

    plain = invoke(engine, settings, "run", "show", "1").stdout
    assert "Cisco IOS Software" not in plain
    readable = invoke(engine, settings, "run", "show", "1", "--output").stdout
    assert f"{ios} " in readable and "- command: show version\n" in readable
    assert f"\n    {ios} uptime is " in readable  # the device's text as an indented block, line by line


def test_a_run_matching_no_device_says_so_and_exits_4(engine: Engine, settings: Settings) -> None:
    assert invoke(engine, settings, "device", "add", "r1", "--host", "192.0.2.1", "--platform", "cisco_ios",
                  "--tag", "idle").exit_code == 0  # fmt: skip
    assert invoke(engine, settings, "device", "edit", "r1", "--disable").exit_code == 0
    result = invoke(engine, settings, "run", "backup", "--tag", "idle")
    assert result.exit_code == 4, result.output
    assert "Run 1 did nothing: no enabled device matches the targets (tag idle)." in result.stdout
    shown = json.loads(invoke(engine, settings, "run", "show", "1", "--json").stdout)
    assert (shown["status"], shown["hosts_total"], shown["hosts"]) == ("succeeded", 0, [])
    as_json = invoke(engine, settings, "run", "backup", "--tag", "idle", "--json")
    assert as_json.exit_code == 4 and json.loads(as_json.stdout)["hosts_total"] == 0
