"""The per-device circuit breaker over real runs: open -> skip -> half-open -> closed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import AuditEntry, Device
from netraven.db.session import create_session_factory
from netraven.inventory.circuit import Circuit, gate_devices, next_circuit
from netraven.jobs import Targets
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import FAST, make_settings

COOLDOWN = 1.5


def circuit_settings(settings: Settings, **more: str) -> Settings:
    return make_settings(
        settings.home,
        NETRAVEN_CIRCUIT__FAILURES="2",
        NETRAVEN_CIRCUIT__COOLDOWN=str(COOLDOWN),
        NETRAVEN_CONNECTION__RETRY_ATTEMPTS="1",
        **more,
    )


def device(engine: Engine, hostname: str) -> Device:
    with Session(engine) as session:
        return session.scalars(select(Device).where(Device.hostname == hostname)).one()


def move(engine: Engine, hostname: str, to: dict[str, object]) -> None:
    """Point ``hostname`` at another (live) simulated device: the dead device came back."""
    with create_session_factory(engine).begin() as session:
        row = session.scalars(select(Device).where(Device.hostname == hostname)).one()
        row.host, row.port = str(to["host"]), int(str(to["port"]))


@pytest.mark.slow
def test_open_skip_half_open_closed(engine: Engine, settings: Settings, lab, plugin_manager) -> None:
    settings = circuit_settings(settings)
    fleet = lab(3, failures="1:refuse,2:bad_enable")
    live, dead, denied = (d["hostname"] for d in fleet.devices)

    def backup() -> dict[str, tuple[str, str | None, str]]:
        report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine,
                         plugin_manager=plugin_manager)  # fmt: skip
        return {h.hostname: (h.status, h.error_kind, h.message) for h in report.hosts.values()}

    first = backup()
    assert first[dead][:2] == ("failed", "connection")
    assert (device(engine, dead).circuit, device(engine, dead).circuit_failures) == ("closed", 1)

    backup()  # the second connection failure in a row opens it
    opened = device(engine, dead)
    assert (opened.circuit, opened.circuit_failures) == ("open", 2)
    assert opened.circuit_retry_at is not None
    assert device(engine, denied).circuit == "closed"  # refused logins never count: it answered

    began = time.monotonic()
    skipped = backup()
    assert skipped[dead][:2] == ("skipped", "circuit_open")
    assert f"retried after {opened.circuit_retry_at:%Y-%m-%d %H:%M:%S} UTC" in skipped[dead][2]
    assert skipped[live][0] == "succeeded" and time.monotonic() - began < 10

    time.sleep(COOLDOWN)  # the cooldown passed: one trial, still dead: open again at once
    trial = backup()
    assert trial[dead][:2] == ("failed", "connection")
    reopened = device(engine, dead)
    assert reopened.circuit == "open" and reopened.circuit_retry_at is not None
    assert opened.circuit_retry_at < reopened.circuit_retry_at

    move(engine, dead, fleet.devices[0])
    assert backup()[dead][:2] == ("skipped", "circuit_open")  # still cooling down
    time.sleep(COOLDOWN)
    assert backup()[dead][0] == "succeeded"  # the trial succeeds: closed
    closed = device(engine, dead)
    assert (closed.circuit, closed.circuit_failures, closed.circuit_retry_at) == ("closed", 0, None)


def test_half_open_lets_one_trial_through(engine: Engine, settings: Settings, lab) -> None:
    settings = circuit_settings(settings)
    fleet = lab(1)
    name = fleet.devices[0]["hostname"]
    past = datetime.now(UTC) - timedelta(seconds=1)
    with create_session_factory(engine).begin() as session:
        row = session.scalars(select(Device).where(Device.hostname == name)).one()
        row.circuit, row.circuit_failures, row.circuit_retry_at = "open", 2, past
        device_id = row.id
    with create_session_factory(engine).begin() as session:
        assert gate_devices(session, [device_id], settings) == {}  # this run is the trial
    assert device(engine, name).circuit == "half_open"
    with create_session_factory(engine).begin() as session:
        other = gate_devices(session, [device_id], settings)  # a concurrent run waits for the trial
    assert other[device_id].kind == "circuit_open" and "a trial run is deciding" in other[device_id].message


def test_reset_and_reachability_close_a_circuit(
    engine: Engine, settings: Settings, lab, plugin_manager
) -> None:
    settings = circuit_settings(settings, NETRAVEN_REACHABILITY__TIMEOUT="1")
    fleet = lab(2)
    names = [d["hostname"] for d in fleet.devices]
    later = datetime.now(UTC) + timedelta(hours=1)
    with create_session_factory(engine).begin() as session:
        for row in session.scalars(select(Device)):
            row.circuit, row.circuit_failures, row.circuit_retry_at = "open", 5, later

    env = {**FAST, "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
           "NETRAVEN_HOME": settings.home.as_posix()}  # fmt: skip
    listed = CliRunner().invoke(main, ["device", "list"], env=env)
    assert listed.stdout.count("open until") == 2, listed.output
    shown = CliRunner().invoke(main, ["device", "show", names[0]], env=env)
    assert "circuit:" in shown.stdout and "open" in shown.stdout
    skipped = CliRunner().invoke(main, ["run", "backup", "--all"], env=env)
    assert skipped.exit_code == 3, skipped.output
    assert (
        "Run 1 failed: 0/2 hosts succeeded, 0 failed, 2 skipped (2 circuit_open), 0 changed."
        in skipped.stdout
    )
    assert "retried after" in skipped.stdout
    reset = CliRunner().invoke(main, ["--user", "alice", "device", "reset", names[0]], env=env)
    assert (reset.exit_code, reset.stdout) == (0, f"Device {names[0]!r}: circuit closed (was open).\n")
    assert (device(engine, names[0]).circuit, device(engine, names[0]).circuit_failures) == ("closed", 0)
    with Session(engine) as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "device.reset")).one()
        assert (audit.actor_name, audit.object_id, audit.changes) == (
            "alice",
            names[0],
            {"circuit": ["open", "closed"]},
        )
    missing = CliRunner().invoke(main, ["device", "reset", "ghost"], env=env)
    assert (missing.exit_code, missing.stderr) == (1, "Error: no device named 'ghost'\n")

    report = run_job("reachability", Targets.of(all=True), settings=settings, engine=engine,
                     plugin_manager=plugin_manager)  # fmt: skip  # not skipped: it logs in nowhere
    assert report.summary.status == "succeeded"
    assert device(engine, names[1]).circuit == "closed"


def test_devices_unreachable_for_long_are_skipped(
    engine: Engine, settings: Settings, lab, plugin_manager
) -> None:
    settings = circuit_settings(
        settings, NETRAVEN_REACHABILITY__TIMEOUT="1", NETRAVEN_REACHABILITY__SKIP_UNREACHABLE_AFTER="60"
    )
    fleet = lab(2, failures="1:refuse")
    dead = fleet.devices[1]["hostname"]
    run_job(
        "reachability", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )
    assert device(engine, dead).unreachable_since is not None
    soon = run_job("command", Targets.of(all=True), {"commands": "show version"}, settings=settings,
                   engine=engine, plugin_manager=plugin_manager)  # fmt: skip
    assert soon.hosts[dead].status == "failed"  # unreachable for less than 60 s: tried
    with create_session_factory(engine).begin() as session:  # the outage began two minutes ago
        row = session.scalars(select(Device).where(Device.hostname == dead)).one()
        row.unreachable_since = datetime.now(UTC) - timedelta(minutes=2)
    later = run_job(
        "backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )
    outcome = later.hosts[dead]
    assert (outcome.status, outcome.error_kind) == ("skipped", "unreachable")
    assert "over reachability.skip_unreachable_after (60 s)" in outcome.message
    assert (
        later.summary.status == "partial" and later.hosts[fleet.devices[0]["hostname"]].status == "succeeded"
    )


def test_circuit_off_never_skips(engine: Engine, settings: Settings, lab, plugin_manager) -> None:
    settings = circuit_settings(settings, NETRAVEN_CIRCUIT__ENABLED="false")
    fleet = lab(1, failures="0:refuse")
    for _ in range(3):
        report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine,
                         plugin_manager=plugin_manager)  # fmt: skip
        assert report.summary.status == "failed" and report.summary.hosts_failed == 1
    assert device(engine, fleet.devices[0]["hostname"]).circuit == "closed"


def test_next_circuit() -> None:
    settings = circuit_settings(Settings())
    now = datetime.now(UTC)
    reopen = now + timedelta(seconds=COOLDOWN)
    closed, one = Circuit(), Circuit("closed", 1)
    assert next_circuit(closed, "failed", "timeout", now, settings) == one
    assert next_circuit(one, "failed", "connection", now, settings) == Circuit("open", 2, reopen)
    assert next_circuit(one, "failed", "auth", now, settings) == closed
    assert next_circuit(one, "failed", "command", now, settings) == closed
    assert next_circuit(one, "skipped", "circuit_open", now, settings) == one
    assert next_circuit(Circuit("half_open", 2, now), "failed", "timeout", now, settings) == Circuit(
        "open", 3, reopen
    )
    assert next_circuit(Circuit("half_open", 2, now), "succeeded", None, now, settings) == closed
