"""A job type's result handler fires hooks by name: a name no hook has fails that host, clearly, once."""

from typing import Any

from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import hookimpl
from netraven.db.models import JobResult
from netraven.jobs import HostContext, JobType, Targets
from netraven.jobs.events import DeviceInfo
from netraven.plugins import create_plugin_manager
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, Recorder, make_settings


class Uptime(JobType):
    """A toy job type reading ``show version``; its handler fires the hook named ``hook``."""

    name = "uptime"
    shardable = True
    hook = "netraven_config_changed"

    def task(self, task: Task, **params: Any) -> Result:
        return task.run(netmiko_send_command, command_string="show version")[0]

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        device = DeviceInfo(context.device_id, context.hostname, context.platform)
        context.notify(self.hook, device=device, old=None, new="v", diff="+v", version=1)
        return {"summary": "read"}


class Misspelt(Uptime):
    name = "uptime-misspelt"
    hook = "netraven_config_chnaged"


class UptimePlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [Uptime, Misspelt]


@PROCESSES
def test_a_misspelt_hook_fails_its_host_in_the_rows_and_the_report_alike(
    engine: Engine, settings: Settings, lab, processes: int
) -> None:
    fleet = lab(2)
    recorder = Recorder()
    pm = create_plugin_manager(plugins=[UptimePlugin(), recorder])
    settings = make_settings(settings.home, processes)

    good = run_job("uptime", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm)
    assert good.summary.status == "succeeded"
    assert len(recorder.changed) == 2

    report = run_job(
        "uptime-misspelt", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm
    )

    with Session(engine) as session:
        rows = {
            r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == report.run_id))
        }
    assert set(rows) == set(report.hosts) == {d["hostname"] for d in fleet.devices}
    for hostname, row in rows.items():
        outcome = report.hosts[hostname]
        assert (row.status, row.message) == (outcome.status, outcome.message) == ("failed", row.message)
        assert row.message.startswith(f"{hostname}: the uptime-misspelt result handler failed: ")
        assert "no hook is named 'netraven_config_chnaged'" in row.message and "\n" not in row.message
    assert report.summary.status == "failed" and report.summary.hosts_failed == 2
    assert len(recorder.changed) == 2  # nothing more fired
    assert len(recorder.hosts) == 4  # every host of both runs reported, once
