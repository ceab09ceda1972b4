"""Results a run could not store are kept whole (redacted, 0600) and replayed once (#13).

The write failure is a stand-in: while ``FlakyBackup.failing`` is set, one host's output cannot be
stored as JSON, so its rows fail to write exactly as they would with the database gone (the same
savepoint rolls back its config version); unsetting it is "the database is back".
"""

import json
import os
import shutil
import stat
from typing import ClassVar

from click.testing import CliRunner
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netraven import hookimpl
from netraven.cli import main
from netraven.db.models import DeviceConfiguration, JobLog, JobResult, JobRun
from netraven.jobs import HostContext, JobType, Targets
from netraven.plugins import create_plugin_manager
from netraven.runner import run_job
from netraven.runner.unsaved import replay_unsaved, unsaved_path
from netraven.settings import Settings
from netraven_jobs import Backup
from tests.runner.conftest import make_settings
from tests.runner.test_no_secrets import config_secrets


class FlakyBackup(Backup):
    name = "flaky-backup"
    failing: ClassVar[set[str]] = set()

    def handle_result(self, context: HostContext) -> dict:
        output = super().handle_result(context)
        if context.hostname in self.failing:
            output["unstorable"] = object()
        return output


class FlakyPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [FlakyBackup]


def test_an_unsaved_result_is_kept_whole_and_replayed_once(engine: Engine, settings: Settings, lab) -> None:
    settings = make_settings(settings.home)
    fleet = lab(3)
    lost = fleet.devices[1]["hostname"]
    pm = create_plugin_manager(plugins=[FlakyPlugin()])
    FlakyBackup.failing = {lost}
    report = run_job(
        "flaky-backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm
    )
    assert report.summary.status == "partial" and "could not be stored" in report.hosts[lost].message

    path = unsaved_path(settings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert (record["run_id"], record["host"], record["job_type"]) == (report.run_id, lost, "flaky-backup")
    config = fleet.running_config(lost)
    kept = record["report"]["results"][0]["result"]["config"]  # the backup's result: config and command
    assert "hostname" in kept and len(kept.splitlines()) == len(config.splitlines())  # the whole config
    secrets = (
        config_secrets(config) | {c["password"] for c in fleet.credentials} | {fleet.description["secret"]}
    )
    assert not [s for s in secrets if s in text], "a secret reached the fallback file"

    FlakyBackup.failing = set()  # the database is back
    replayed = replay_unsaved(settings, engine, pm)
    assert (replayed.stored, replayed.already, replayed.failed) == ([(report.run_id, lost)], [], [])
    assert not path.exists() or path.read_text() == ""
    with Session(engine) as session:
        result = session.scalar(select(JobResult).where(JobResult.hostname == lost))
        run = session.get(JobRun, report.run_id)
        versions = session.scalar(select(func.count()).select_from(DeviceConfiguration))
        logged = session.scalar(select(func.count()).select_from(JobLog).where(JobLog.message.contains(lost)))
    assert result is not None and result.status == "succeeded" and result.run_id == report.run_id
    assert run is not None and (run.status, run.hosts_succeeded, run.hosts_failed) == ("succeeded", 3, 0)
    assert versions == 3 and logged is not None

    # a replay interrupted before it emptied the file: replaying again writes nothing twice
    path.write_text(text)
    again = replay_unsaved(settings, engine, pm)
    assert (again.stored, again.already, again.failed) == ([], [(report.run_id, lost)], [])
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(JobResult)) == 3
        assert session.scalar(select(func.count()).select_from(DeviceConfiguration)) == 3

    env = {"NETRAVEN_HOME": settings.home.as_posix(),
           "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False)}  # fmt: skip
    cli = CliRunner().invoke(main, ["run", "replay-unsaved"], env=env)
    assert cli.exit_code == 0 and cli.stdout == "0 result(s) stored, 0 already stored, 0 not stored.\n"
    shutil.rmtree(settings.home / "logs", ignore_errors=True)
