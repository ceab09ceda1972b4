"""The worker's own log masks what ``netraven logs`` masks: the same secret, the same mask.

A plugin (installed for the worker subprocess through a dist-info directory on its PYTHONPATH)
puts one text with a config secret and a stored password both in its host's failure, which the
run stores as a JobLog line, and in a warning on a ``netraven.*`` logger, which the worker logs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from netraven.cli import main
from tests.scheduler.workers import SIGTERM, WorkerLab, wait_until
from tests.scheduler.workers import worker_lab as worker_lab  # the fixture

PLUGIN = """
import logging

from nornir.core.task import Result

from netraven import hookimpl
from netraven.exceptions import DeviceError
from netraven.jobs import JobType, Parameter


class Leak(JobType):
    name = "leak"
    parameters = {"text": Parameter(str, required=True)}

    def task(self, task, **params):
        logging.getLogger("netraven.leaky").warning("leaky says: %s", params["text"])
        raise DeviceError(f"{task.host.name}: leaky says: {params['text']}", "command", task.host.name)


@hookimpl
def netraven_register_job_types():
    return [Leak]
"""
PASSWORD = "Sim-Pass-1!"  # the simulator's first lab credential, stored by the lab
TEXT = f"snmp-server community Comm-S3cret RO; tried {PASSWORD} as nr-admin"
MASKED = "snmp-server community <redacted> RO; tried <redacted> as nr-admin"


def install_plugin(where: Path) -> None:
    (where / "netraven_leaky.py").write_text(PLUGIN)
    info = where / "netraven_leaky-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: netraven-leaky\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[netraven.plugins]\nleaky = netraven_leaky\n")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_secret_is_masked_alike_in_the_worker_log_and_in_netraven_logs(
    worker_lab: Callable[..., WorkerLab], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    install_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))  # this process queues the run: it must know the job type
    lab = worker_lab(
        backend, devices=1, PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    )
    cli = CliRunner()
    created = cli.invoke(main, ["job", "create", "leaky", "--type", "leak", "--tag", "lab", "--disabled",
                                "--param", f"text={TEXT}"], env=lab.env)  # fmt: skip
    assert created.exit_code == 0, created.output
    worker = lab.start_worker("--workers", "1")
    ran = cli.invoke(main, ["job", "run", "leaky", "--wait", "--json"], env=lab.env)
    assert json.loads(ran.stdout)["status"] == "failed", ran.output
    wait_until(lambda: "leaky says" in worker.log(), 10, "the plugin's warning in the worker log")
    assert worker.signal(SIGTERM) == 0

    logs = cli.invoke(main, ["logs", "--category", "leak", "--json"], env=lab.env)
    stored = [json.loads(line)["message"] for line in logs.stdout.splitlines()]
    assert any(line.endswith(f"leaky says: {MASKED}") for line in stored), stored
    worker_lines = [line for line in worker.log().splitlines() if "leaky says" in line]
    assert worker_lines and all(line.endswith(f"leaky says: {MASKED}") for line in worker_lines), worker_lines
    assert "Comm-S3cret" not in worker.log() and PASSWORD not in worker.log()
