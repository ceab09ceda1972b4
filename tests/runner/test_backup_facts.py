"""Facts read during a backup: simulated devices over SSH, stored on the device, never a version."""

import json
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven import platforms
from netraven.db.models import ConnectionLog, Device, DeviceConfiguration, JobLog, JobResult
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from netraven.simulator.profile import names as profile_names
from netraven_jobs.facts import facts_of
from tests.runner.conftest import make_settings

#: What the simulator's four stateful platforms print, as facts (uptime: "N days, N hours, N minutes").
EXPECTED = {
    "cisco_ios": ("15.9(3)M6", "IOSv"),
    "cisco_nxos": ("9.3(8)", "C9300v"),
    "arista_eos": ("4.28.3M", "vEOS-lab"),
    "juniper_junos": ("21.4R3.15", "vmx"),
}
#: Every platform with a facts entry that the simulator can play.
WITH_FACTS = sorted(name for name in profile_names() if facts_of(name) is not None)


def devices(engine: Engine) -> dict[str, Device]:
    with Session(engine) as session:
        return {d.hostname: d for d in session.scalars(select(Device))}


def version_counts(engine: Engine) -> dict[str, int]:
    """Config versions per hostname."""
    with Session(engine) as session:
        query = select(Device.hostname, func.count(DeviceConfiguration.id)).join(DeviceConfiguration)
        return {name: count for name, count in session.execute(query.group_by(Device.hostname))}


def facts_log(engine: Engine, device_id: int) -> list[str]:
    """The job log lines a backup wrote on the device's facts (why none were read)."""
    with Session(engine) as session:
        query = select(JobLog.message).where(JobLog.device_id == device_id, JobLog.category == "facts")
        return list(session.scalars(query))


@pytest.fixture
def site_registry() -> Iterator[None]:
    yield
    platforms.use_site(None)


@pytest.mark.parametrize(
    "processes", [1, pytest.param(2, marks=pytest.mark.slow)], ids=["one-process", "two-processes"]
)
def test_facts_on_every_platform_never_a_version(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(settings.home, processes, NETRAVEN_CONNECTION__READ_TIMEOUT="15")  # a loaded CI
    chosen = WITH_FACTS if processes == 1 else sorted(EXPECTED)  # shards: results cross processes
    fleet = lab(len(chosen), platforms=tuple(chosen))
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager, triggered_by="tester")
    first = run_job("backup", Targets.of(tags=["lab"]), **backup)
    backed_up = {o.hostname for o in first.hosts.values() if o.status == "succeeded"}
    platform_of = {d["hostname"]: d["platform"] for d in fleet.devices}
    assert set(EXPECTED) <= {platform_of[name] for name in backed_up}, (first.message, first.hosts)
    found = devices(engine)
    for spec in fleet.devices:
        device = found[spec["hostname"]]
        if spec["hostname"] not in backed_up:  # a failed backup stores nothing, facts included
            assert device.facts_at is None
            continue
        assert device.facts_at is not None and (device.os_version or device.model), (
            spec["platform"],
            facts_log(engine, device.id),
        )
        if spec["platform"] in EXPECTED:
            assert (device.os_version, device.model) == EXPECTED[spec["platform"]]
        if spec["platform"] in ("cisco_ios", "cisco_nxos", "arista_eos"):
            assert re.fullmatch(r"SIM\d{8}", device.serial or ""), device.serial
            assert re.fullmatch(r"\d+ days, \d+ hours, \d+ minutes", device.uptime or ""), device.uptime
    versions = version_counts(engine)
    assert versions == dict.fromkeys(backed_up, 1)
    with Session(engine) as session:
        results = session.scalars(select(JobResult).where(JobResult.run_id == first.run_id))
        outputs = [r.output for r in results if r.status == "succeeded"]
    assert all(set(output["facts"]) == {"os_version", "model", "serial", "uptime"} for output in outputs)

    second = run_job("backup", Targets.of(tags=["lab"]), **backup)
    backed_up &= {o.hostname for o in second.hosts.values() if o.status == "succeeded"}
    after = version_counts(engine)
    stable = [name for name in backed_up if platform_of[name] in EXPECTED]  # volatile lines known to hold
    assert {name: after[name] for name in stable} == dict.fromkeys(stable, 1)  # the uptime moved, no version
    again = devices(engine)
    assert all(again[name].facts_at > found[name].facts_at for name in backed_up)  # type: ignore[operator]


def test_facts_off_sends_no_facts_command(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager
) -> None:
    lab(1, platforms=("arista_eos",))
    run = run_job("backup", Targets.of(tags=["lab"]), {"facts": "no"}, settings=settings, engine=engine,
                  plugin_manager=plugin_manager, triggered_by="tester")  # fmt: skip
    assert run.summary.status == "succeeded"
    (device,) = devices(engine).values()
    assert (device.os_version, device.facts_at) == (None, None)
    with Session(engine) as session:
        transcript = session.scalars(select(ConnectionLog.transcript)).one()
    assert "show version" not in transcript


def test_a_facts_failure_is_logged_and_the_backup_stands(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, site_registry: None
) -> None:
    lab(1, platforms=("arista_eos",))
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager, triggered_by="tester")
    assert run_job("backup", Targets.of(tags=["lab"]), **backup).summary.status == "succeeded"
    (before,) = devices(engine).values()
    site = {"facts": {"command": "show nothing-such", "textfsm_platform": None}}
    backup["settings"] = make_settings(settings.home, NETRAVEN_PLATFORMS__ARISTA_EOS=json.dumps(site))
    run = run_job("backup", Targets.of(tags=["lab"]), **backup)
    assert run.summary.status == "succeeded"
    (after,) = devices(engine).values()
    assert (after.os_version, after.facts_at) == (before.os_version, before.facts_at)  # the last good facts
    assert after.last_backup_at and after.last_backup_at > before.last_backup_at  # type: ignore[operator]
    with Session(engine) as session:
        logs = list(
            session.scalars(select(JobLog).where(JobLog.run_id == run.run_id, JobLog.category == "facts"))
        )
    assert [(log.level, log.device_id, log.message) for log in logs] == [
        ("WARNING", after.id, "facts not read: nothing recognised in the output of 'show nothing-such'")
    ]
    assert isinstance(after.facts_at, datetime)
