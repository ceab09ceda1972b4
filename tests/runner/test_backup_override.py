"""A device's or tag's own backup command: the device's wins over its tags', a run's over both (#16)."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import Device, DeviceConfiguration, Tag
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from netraven.simulator.process import FleetProcess


def test_device_and_tag_backup_commands(
    engine: Engine,
    settings: Settings,
    lab: Callable[..., FleetProcess],
    plugin_manager: NetRavenPluginManager,
) -> None:
    fleet = lab(3, platforms=("cisco_ios", "cisco_ios", "juniper_junos"))
    by_tag, own, junos = (device["hostname"] for device in fleet.devices)
    env = {"NETRAVEN_HOME": str(settings.home), "NETRAVEN_DATABASE__URL": engine.url.render_as_string(False)}

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    cli("tag", "add", "core", "--backup-command", "show startup-config")
    cli("device", "edit", by_tag, "--add-tag", "core")
    cli("device", "edit", own, "--add-tag", "core", "--backup-command", "show running-config | include .")
    cli("device", "edit", junos, "--backup-command", "show configuration | display set")
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager)
    run = run_job("backup", Targets.of(tags=["lab"]), **backup)
    assert run.summary.status == "succeeded", run.hosts

    def latest(hostname: str) -> DeviceConfiguration:
        with Session(engine) as session:
            query = select(DeviceConfiguration).join(Device).where(Device.hostname == hostname)
            return session.scalars(query.order_by(DeviceConfiguration.version.desc())).first()  # type: ignore[return-value]

    assert latest(by_tag).details == {"command": "show startup-config"}  # the tag's
    assert latest(own).details == {"command": "show running-config | include ."}  # its own over its tag's
    assert "\nset version " in latest(junos).config_text  # display set, its own
    history = json.loads(cli("config", "history", junos, "--json"))
    assert history["versions"][0]["command"] == "show configuration | display set"

    params = {"command": "show version", "unchecked": "yes"}  # a run's command wins over both
    explicit = run_job("backup", Targets.of(devices=[by_tag, own]), params, **backup)
    assert explicit.summary.status == "succeeded"
    assert latest(by_tag).details["command"] == latest(own).details["command"] == "show version"

    cli("device", "edit", own, "--backup-command", "")  # cleared: back to its tag's
    cli("tag", "edit", "core", "--backup-command", "")
    with Session(engine) as session:
        assert session.scalar(select(Device.backup_command).where(Device.hostname == own)) is None
        assert session.scalar(select(Tag.backup_command).where(Tag.name == "core")) is None
    shown = json.loads(cli("device", "show", junos, "--json"))
    assert shown["backup_command"] == "show configuration | display set"


def test_a_bad_backup_command_is_one_line_and_changes_nothing(
    engine: Engine, settings: Settings, lab: Callable[..., FleetProcess]
) -> None:
    fleet = lab(1)
    hostname = fleet.devices[0]["hostname"]
    env = {"NETRAVEN_HOME": str(settings.home), "NETRAVEN_DATABASE__URL": engine.url.render_as_string(False)}
    for args, message in (
        (["device", "edit", hostname, "--backup-command", "show\x07run"], "contains a control character"),
        (["device", "edit", hostname, "--backup-command", "x" * 256], "longer than 255 characters"),
        (["tag", "add", "t1", "--backup-command", "a\x01"], "contains a control character"),
        (["tag", "edit", "nosuch", "--backup-command", "show run"], "no tag named 'nosuch'"),
    ):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code != 0 and message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    with Session(engine) as session:
        assert session.scalar(select(Device.backup_command).where(Device.hostname == hostname)) is None
        assert session.scalar(select(Tag).where(Tag.name == "t1")) is None
