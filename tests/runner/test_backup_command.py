"""A backup stores configurations only: another command's output is refused unless asked for (#13)."""

import json
from collections.abc import Callable

from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import DeviceConfiguration, JobResult
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from netraven.simulator.process import FleetProcess

PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")


def test_show_version_is_not_stored_as_a_config_unless_unchecked(
    engine: Engine,
    settings: Settings,
    lab: Callable[..., FleetProcess],
    plugin_manager: NetRavenPluginManager,
) -> None:
    fleet = lab(4, platforms=PLATFORMS)
    backup = dict(settings=settings, engine=engine, plugin_manager=plugin_manager)

    refused = run_job("backup", Targets.of(tags=["lab"]), {"command": "show version"}, **backup)
    assert (refused.summary.status, refused.summary.hosts_failed) == ("failed", 4)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DeviceConfiguration)) == 0
        results = session.scalars(select(JobResult).where(JobResult.run_id == refused.run_id)).all()
    for result in results:
        assert result.error_kind == "parse"
        assert (
            result.message is not None and "output does not look like a configuration: no " in result.message
        )
        assert result.message.endswith("to store the output of 'show version' anyway: --param unchecked=yes")

    params = {"command": "show version", "unchecked": "yes"}
    stored = run_job("backup", Targets.of(tags=["lab"]), params, **backup)
    assert stored.summary.status == "succeeded", stored.hosts
    ios = fleet.devices[0]["hostname"]
    assert stored.hosts[ios].message is not None
    assert stored.hosts[ios].message.endswith("the unchecked output of 'show version'")

    env = {"NETRAVEN_HOME": str(settings.home), "NETRAVEN_DATABASE__URL": engine.url.render_as_string(False)}
    history = CliRunner().invoke(main, ["config", "history", ios, "--json"], env=env)
    [version] = json.loads(history.stdout)["versions"]
    assert (version["command"], version["unchecked"]) == ("show version", True)
    table = CliRunner().invoke(main, ["config", "history", ios], env={**env, "COLUMNS": "200"})
    assert "Version 1 is the unchecked output of 'show version', not necessarily a config." in table.stdout

    normal = run_job("backup", Targets.of(tags=["lab"]), **backup)  # the real config again, checked
    assert normal.summary.status == "succeeded"
    history = CliRunner().invoke(main, ["config", "history", ios, "--json"], env=env)
    newest = json.loads(history.stdout)["versions"][0]
    assert (newest["version"], newest["command"], newest["unchecked"]) == (2, None, False)
