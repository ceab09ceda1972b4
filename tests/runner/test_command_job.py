"""The built-in ``command`` job type: outputs stored per host, redacted, parsed with TextFSM on request."""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import JobResult
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, make_settings


def outputs(engine: Engine, run_id: int) -> dict[str, JobResult]:
    with Session(engine) as session:
        return {r.hostname: r for r in session.scalars(select(JobResult).where(JobResult.run_id == run_id))}


@PROCESSES
def test_commands_textfsm_and_errors(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(settings.home, processes)
    fleet = lab(2, platforms=("cisco_ios", "arista_eos"))
    ios, eos = (d["hostname"] for d in fleet.devices)
    options = dict(settings=settings, engine=engine, plugin_manager=plugin_manager)

    report = run_job("command", Targets.of(all=True), {"commands": "show version, show running-config",
                     "textfsm": "yes", "enable": "yes"}, **options)  # fmt: skip
    assert report.summary.status == "succeeded"
    results = outputs(engine, report.run_id)
    items = results[ios].output["commands"]
    assert [item["command"] for item in items] == ["show version", "show running-config"]
    assert ios in items[0]["output"] and isinstance(items[0]["parsed"], list)
    assert items[0]["parsed"][0]["hostname"] == ios  # ntc-templates' cisco_ios show version
    assert items[1]["parsed"] is None  # no template: raw text only
    assert "enable secret 9 <redacted>" in items[1]["output"]
    assert results[ios].output["summary"] == "2 commands run"

    bad = run_job(
        "command", Targets.of(devices=[ios, eos]), {"commands": "show version,show bogus"}, **options
    )
    assert bad.summary.status == "failed"
    for hostname in (ios, eos):
        outcome = bad.hosts[hostname]
        assert outcome.error_kind == "command" and "'show bogus'" in outcome.message
