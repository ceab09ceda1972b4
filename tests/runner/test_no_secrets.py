"""No row, git file, log line or CLI output of backup and command runs holds a device secret."""

import logging

import pytest
from click.testing import CliRunner
from dulwich.repo import Repo
from sqlalchemy import Engine, MetaData, select

from netraven.cli import main
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.redaction import Redactor
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, make_settings


def config_secrets(config: str) -> set[str]:
    """The secret values a device config carries: tokens the redactor masks."""
    found = set()
    for line in config.splitlines():
        masked = Redactor().redact(line)
        if masked != line:
            found |= {token for token in set(line.split()) - set(masked.split()) if len(token) >= 6}
    return found


def git_blobs(settings: Settings) -> list[str]:
    repo = Repo(str(settings.git_dir))
    try:
        return [
            obj.data.decode("utf-8", "replace")
            for sha in repo.object_store
            if (obj := repo.object_store[sha]).type_name == b"blob"
        ]
    finally:
        repo.close()


@PROCESSES
def test_runs_leak_no_secret(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager,
    caplog: pytest.LogCaptureFixture, processes: int,
) -> None:  # fmt: skip
    settings = make_settings(settings.home, processes, NETRAVEN_BACKUP__REDACT_STORED="true")
    fleet = lab(
        3, platforms=("cisco_ios", "juniper_junos", "cisco_ios"), failures="0:auth_only=2,2:bad_enable"
    )
    secrets = {c["password"] for c in fleet.credentials} | {fleet.description["secret"]}
    for device in fleet.devices:
        secrets |= config_secrets(fleet.running_config(device["hostname"]))
    assert len(secrets) > 6
    caplog.set_level(logging.DEBUG)

    options = dict(settings=settings, engine=engine, plugin_manager=plugin_manager)
    backup = run_job("backup", Targets.of(all=True), **options)
    versions = run_job(
        "command", Targets.of(tags=["lab"]), {"commands": "show version", "textfsm": "true"}, **options
    )
    ios = fleet.devices[0]["hostname"]
    config = run_job("command", Targets.of(devices=[ios]), {"commands": "show running-config", "enable": "yes"},
                     **options)  # fmt: skip
    assert backup.summary.hosts_succeeded == 2 and versions.summary.hosts_succeeded == 3
    assert config.summary.status == "succeeded"

    artefacts = [caplog.text, *git_blobs(settings)]
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            artefacts += [repr(tuple(row)) for row in connection.execute(select(table))]
    env = {"NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
           "NETRAVEN_HOME": settings.home.as_posix(), "NETRAVEN_BACKUP__REDACT_STORED": "true"}  # fmt: skip
    hostname = fleet.devices[0]["hostname"]
    for args in (["config", "show", hostname], ["config", "search", "secret|community|key"]):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, result.output
        artefacts.append(result.output)

    everything = "\n".join(artefacts)
    assert "show version" in everything and "<redacted>" in everything  # the artefacts are real
    leaked = sorted(s for s in secrets if s in everything)
    assert not leaked
