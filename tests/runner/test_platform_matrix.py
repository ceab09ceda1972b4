"""Every registry platform backed up by NetRaven's real backup job through netmiko's unmodified
driver against its simulator profile: over SSH, and over telnet where netmiko has a telnet driver.

One simulator process serves the whole mixed fleet (each platform once over SSH, once more over
telnet where it can); two ``--all`` runs with no per-run command back every device up. Per device:
the run used the registry's command(s) and succeeded, the stored config is exactly what the profile
prints (no prompt, echo or pager residue), every secret the profile's config carries is masked by
``config show``, in the diff and in the logs, and the second run stored no new version although the
volatile lines changed between the two reads.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import platforms
from netraven.configs import queries
from netraven.configs.normalize import normalize, volatile_rules
from netraven.db.models import ConnectionLog, DeviceConfiguration, JobLog, JobResult
from netraven.jobs import Targets
from netraven.plugins import create_plugin_manager
from netraven.redaction import Redactor
from netraven.runner import run_job
from netraven.runner.execute import RunReport
from netraven.simulator import profile
from netraven.simulator.process import FleetProcess, free_base_address, start_fleet_process
from netraven.simulator.render import Clock, Context, render
from tests.conftest import migrated_engine
from tests.inventory_plugin.conftest import load_fleet
from tests.runner.conftest import Recorder, make_settings

pytestmark = pytest.mark.slow  # ~50 devices, two runs: tens of seconds

NAMES = platforms.names()
TELNET = tuple(name for name in NAMES if platforms.get(name).telnet)
CASES = [(name, "ssh") for name in NAMES] + [(name, "telnet") for name in TELNET]


@dataclass
class Matrix:
    """The fleet, the database and what the two runs did."""

    fleet: FleetProcess
    engine: Engine
    recorder: Recorder
    runs: list[RunReport] = field(default_factory=list)

    def device(self, platform: str, transport: str) -> dict[str, Any]:
        return next(
            d for d in self.fleet.devices if d["platform"] == platform and d["transport"] == transport
        )

    def transcript(self, run: RunReport, hostname: str) -> str:
        with Session(self.engine) as session:
            logs = session.scalars(
                select(ConnectionLog.transcript).where(
                    ConnectionLog.run_id == run.run_id, ConnectionLog.hostname == hostname
                )
            )
            return "\n".join(logs)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory, new_database_url: Any) -> Iterator[Matrix]:
    home: Path = tmp_path_factory.mktemp("matrix-home")
    settings = make_settings(home)
    address, port = free_base_address(random.Random())
    names = [*NAMES, *(f"{name}_telnet" for name in TELNET)]
    workdir = tmp_path_factory.mktemp("matrix-fleet")
    with (
        start_fleet_process(len(names), workdir, tuple(names), address, port) as fleet,
        migrated_engine(new_database_url("sqlite")) as engine,
    ):
        load_fleet(engine, settings, fleet.devices, fleet.credentials, fleet.description["secret"])
        recorder = Recorder()
        pm = create_plugin_manager(plugins=[recorder])
        found = Matrix(fleet, engine, recorder)
        for _ in range(2):
            found.runs.append(
                run_job("backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm)
            )
        yield found


def test_one_all_run_backs_up_the_whole_mixed_fleet(matrix: Matrix) -> None:
    first, second = matrix.runs
    assert first.summary.hosts_total == len(CASES) == len(matrix.fleet.devices)
    failed = {o.hostname: o.message for o in first.hosts.values() if o.status != "succeeded"}
    assert not failed and first.summary.status == "succeeded", "\n".join(
        f"{h}: {m}" for h, m in failed.items()
    )
    assert second.summary.status == "succeeded", second.message
    assert not [o.hostname for o in second.hosts.values() if o.changed]


@pytest.mark.parametrize(("platform", "transport"), CASES)
def test_platform_backup(matrix: Matrix, platform: str, transport: str) -> None:
    entry, own = platforms.get(platform), profile.load(platform)
    device = matrix.device(platform, transport)
    hostname = device["hostname"]
    first, second = (matrix.transcript(run, hostname) for run in matrix.runs)
    outcome = next(o for o in matrix.runs[0].hosts.values() if o.hostname == hostname)
    assert outcome.status == "succeeded", outcome.message
    for command in entry.commands:  # the registry's command(s), nothing of the run's own
        assert command in first, (command, first[-500:])

    with Session(matrix.engine) as session:
        stored = session.scalars(
            select(DeviceConfiguration).where(DeviceConfiguration.device_id == outcome.device_id)
        ).all()
        assert len(stored) == 1, "the second read stored a new version"
        text = stored[0].config_text
        shown = queries.get(session, hostname, reveal=False).text
        logs = [m for (m,) in session.execute(select(JobLog.message)) if hostname in m]
        results = session.scalars(select(JobResult.message).where(JobResult.hostname == hostname)).all()

    if own.engine == "generic":
        assert own.config_pattern(hostname, entry.commands).fullmatch(text.rstrip("\n")), text[-400:]
    else:  # a stateful engine: line for line what it prints now, volatile lines aside
        now = matrix.fleet.running_config(hostname)
        assert normalize(text, platform) == normalize(now, platform)
        assert len(text.rstrip("\n").splitlines()) == len(now.rstrip("\n").splitlines())

    diff = next(d for info, _, _, d in matrix.recorder.changed if info.hostname == hostname)
    for secret in own.secret_patterns():
        if not secret.search(text):
            continue  # a secret of an output the registry's commands do not read
        for where, seen in (("config show", shown), ("diff", diff), ("logs", "\n".join([*logs, *results]))):
            assert not secret.search(seen), f"{platform}: {secret.pattern} unmasked in {where}"
        for where, seen in (("first read's log", first), ("second read's log", second)):
            assert not secret.search(seen), f"{platform}: {secret.pattern} unmasked in the {where}"

    visible = own.engine != "generic"  # the stateful engines print timestamps at every read
    if own.engine == "generic" and own.volatile:  # what moves is volatile, or a secret re-encrypted
        clock, rules, redactor = Clock(), volatile_rules(platform), Redactor(platform=platform)
        text = "\n\n".join(own.outputs[c] for c in entry.commands)
        reads = [render(text, Context(hostname, "u", clock.tick(), clock.booted)) for _ in range(2)]
        moved = [(a, b) for a, b in zip(*(r.splitlines() for r in reads), strict=True) if a != b]
        assert moved and all(rules.match(a) or redactor.redact(a) == redactor.redact(b) for a, b in moved)
        visible = any(rules.match(a) for a, _ in moved)
    if visible:  # and the two reads' logs show it
        assert _volatile(entry, first) != _volatile(entry, second), f"{platform}: no volatile line moved"


def _volatile(entry: platforms.Platform, transcript: str) -> list[str]:
    """The lines of ``transcript`` the platform's volatile rules drop."""
    rules = volatile_rules(entry.name)
    return [line for line in _lines(transcript) if rules.match(line)]


def _lines(transcript: str) -> list[str]:
    return [line.rstrip() for line in re.split(r"\r?\n|\r", transcript)]
