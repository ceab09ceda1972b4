"""A run over devices failing in every way the simulator offers: partial, every host accounted for."""

import json

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import hookimpl
from netraven.db.models import Device, DeviceConfiguration, JobResult, JobRun
from netraven.jobs import HostContext, JobType, Targets
from netraven.plugins import NetRavenPluginManager, create_plugin_manager
from netraven.runner import run_job
from netraven.settings import Settings
from netraven_jobs import Backup
from tests.runner.conftest import PROCESSES, make_settings

FAILURES = {
    1: ("refuse", "connection"),
    2: ("auth_only=2", None),  # the third credential works
    3: ("bad_enable", "auth"),
    4: ("hang_after_login", "timeout"),
    5: ("hang_mid_output", "timeout"),
    6: ("drop_mid_output", "timeout"),  # netmiko waits for more output, not noticing the EOF
    7: ("slow_banner=30", "timeout"),  # stopped by the per-host time limit
    8: ("garbled", "parse"),  # damaged output is refused, not stored
}


@PROCESSES
def test_every_failure_is_recorded_and_the_run_is_partial(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(settings.home, processes, NETRAVEN_CONNECTION__HOST_TIME_LIMIT="8")
    fleet = lab(9, failures=",".join(f"{i}:{mode}" for i, (mode, _) in FAILURES.items()))
    report = run_job(
        "backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )

    assert report.summary.status == "partial"
    assert (report.summary.hosts_total, report.summary.hosts_succeeded, report.summary.hosts_failed) == (
        9,
        2,
        7,
    )
    with Session(engine) as session:
        results = {
            r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == report.run_id))
        }
        run = session.get(JobRun, report.run_id)
        assert run is not None and (run.status, run.hosts_failed) == ("partial", 7)
        stored = set(session.scalars(select(Device.hostname).join(DeviceConfiguration)))
    assert len(results) == 9
    for index, device in enumerate(fleet.devices):
        result = results[device["hostname"]]
        expected = FAILURES.get(index, (None, None))[1]
        assert result.error_kind == expected, (device["failure"], result.status, result.message)
        assert result.status == ("failed" if expected else "succeeded")
        assert (device["hostname"] in stored) == (expected is None)
        assert result.message and "\n" not in result.message
    assert results[fleet.devices[2]["hostname"]].attempts == 3  # two auth failures, then success


def test_host_time_limit_stops_a_slow_device(engine: Engine, settings: Settings, lab, plugin_manager) -> None:
    settings = make_settings(
        settings.home, NETRAVEN_CONNECTION__HOST_TIME_LIMIT="2", NETRAVEN_CONNECTION__READ_TIMEOUT="30"
    )
    fleet = lab(2, failures="1:slow=20")
    report = run_job(
        "backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )
    slow = report.hosts[fleet.devices[1]["hostname"]]
    assert (slow.status, slow.error_kind) == ("failed", "timeout")
    assert "per-host time limit of 2 s" in slow.message
    assert slow.duration_seconds < 5  # not the 20 s the device would take, nor the 30 s read timeout
    assert report.hosts[fleet.devices[0]["hostname"]].status == "succeeded"


class BrokenOutput(Backup):
    """A backup whose result cannot be stored: its output is not JSON."""

    name = "broken-backup"

    def handle_result(self, context: HostContext) -> dict:
        output = super().handle_result(context)
        if context.hostname.endswith("1"):
            output["oops"] = object()
        return output


class BrokenPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [BrokenOutput]


@PROCESSES
def test_a_write_failure_does_not_stop_the_run(
    engine: Engine, settings: Settings, lab, processes: int
) -> None:
    settings = make_settings(settings.home, processes)
    fleet = lab(3)
    pm = create_plugin_manager(plugins=[BrokenPlugin()])
    report = run_job(
        "broken-backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm
    )

    assert report.summary.status == "partial" and report.summary.hosts_succeeded == 2
    first = fleet.devices[0]["hostname"]
    assert report.hosts[first].status == "failed" and "could not be stored" in report.hosts[first].message
    fallback = settings.home / "logs" / "unsaved-results.jsonl"
    record = json.loads(fallback.read_text().splitlines()[-1])
    assert record["run_id"] == report.run_id and record["host"] == first
    with Session(engine) as session:
        stored = set(session.scalars(select(JobResult.hostname)))
        configs = session.scalars(select(DeviceConfiguration.device_id)).all()
    assert stored == {d["hostname"] for d in fleet.devices[1:]}
    assert len(configs) == 2  # the failed host's version was rolled back with its result


class LeakyHandler(Backup):
    """A backup whose result handler fails with the device's config (and so its secrets) in the error."""

    name = "leaky-backup"

    def handle_result(self, context: HostContext) -> dict:
        raise ValueError(f"cannot parse:\n{context.result[0].result}")


class LeakyPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [LeakyHandler]


def test_a_failing_handler_is_logged_redacted(engine: Engine, settings: Settings, lab, caplog) -> None:
    fleet = lab(1)
    pm = create_plugin_manager(plugins=[LeakyPlugin()])
    report = run_job(
        "leaky-backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm
    )
    outcome = report.hosts[fleet.devices[0]["hostname"]]
    assert outcome.status == "failed" and "leaky-backup result handler failed (ValueError)" in outcome.message
    assert "cannot parse" in caplog.text and "enable secret 9 <redacted>" in caplog.text  # logged, redacted
    assert "enable secret 9 $9$" not in caplog.text
