"""``reachability`` over simulated devices on loopback: refusing, hanging, blackholed and healthy."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import Device, JobResult
from netraven.db.session import create_session_factory
from netraven.inventory import add_device, list_devices, query_devices
from netraven.jobs import Targets
from netraven.runner import RunReport, run_job
from netraven.settings import Settings
from netraven_jobs.reachability import ping_refused
from tests.runner.conftest import FAST, make_settings

TIMEOUT = 2.0  # a loaded machine: 500 connects at once to one simulator process answer within it


@pytest.fixture
def blackholes() -> Iterator[list[tuple[str, int]]]:
    """Listening sockets whose accept queue is full: the kernel drops every further SYN, as a
    firewall that blackholes a device's address does, and a TCP connect hangs until its timeout."""
    servers, fillers = [], []
    for _ in range(3):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(server.getsockname())
            fillers.append(filler)
        servers.append(server)
    time.sleep(0.1)
    yield [server.getsockname() for server in servers]
    for sock in fillers + servers:
        sock.close()


def settings_for(settings: Settings) -> Settings:
    return make_settings(settings.home, NETRAVEN_REACHABILITY__TIMEOUT=str(TIMEOUT))


@pytest.mark.slow
@pytest.mark.exclusive  # it times 1,003 devices: alone, not against three other workers' load
def test_a_thousand_devices_checked_within_seconds_of_the_timeout(
    engine: Engine, settings: Settings, lab, plugin_manager, blackholes: list[tuple[str, int]]
) -> None:
    settings = settings_for(settings)
    fleet = lab(1000, failures="0-99:refuse,100-149:slow_banner=600")
    with create_session_factory(engine).begin() as session:
        for n, (host, port) in enumerate(blackholes):
            add_device(session, f"blackholed-{n}", host, "cisco_ios", port=port, tags=["lab"])

    began = time.monotonic()
    report = run_job("reachability", Targets.of(all=True), settings=settings, engine=engine,
                     plugin_manager=plugin_manager)  # fmt: skip
    elapsed = time.monotonic() - began

    assert elapsed < TIMEOUT + 6, f"{elapsed:.1f} s for 1,003 devices with a {TIMEOUT:g} s timeout"
    assert (report.summary.status, report.summary.hosts_total) == ("partial", 1003)
    assert (report.summary.hosts_succeeded, report.summary.hosts_failed) == (850, 153)
    kinds = {o.hostname: (o.status, o.error_kind) for o in report.hosts.values()}
    names = [d["hostname"] for d in fleet.devices]
    assert {kinds[n] for n in names[:100]} == {("failed", "connection")}
    assert {kinds[n] for n in names[100:150]} == {("failed", "timeout")}
    assert {kinds[f"blackholed-{n}"] for n in range(3)} == {("failed", "timeout")}
    assert {kinds[n] for n in names[150:]} == {("succeeded", None)}
    assert f"no banner within {TIMEOUT:g} s" in report.hosts[names[100]].message
    assert f"no answer to the TCP connect within {TIMEOUT:g} s" in report.hosts["blackholed-0"].message
    assert "connection refused" in report.hosts[names[0]].message
    assert report.message is not None and report.message.startswith("850 reachable, 153 unreachable")

    with Session(engine) as session:
        rows = session.execute(select(JobResult.hostname).where(JobResult.run_id == report.run_id)).all()
        assert len(rows) == 1003
        devices = {d.hostname: d for d in session.scalars(select(Device))}
        up = devices[names[500]]
        assert (
            up.reachability == "reachable"
            and up.latency_ms is not None
            and 0 <= up.latency_ms < TIMEOUT * 1000
        )
        assert up.reachability_at is not None and up.unreachable_since is None
        down = devices[names[0]]
        assert (down.reachability, down.latency_ms) == ("unreachable", None)
        assert down.unreachable_since == down.reachability_at
        output = session.scalar(select(JobResult.output).where(JobResult.hostname == names[500]))
        assert output["banner"].startswith("SSH-2.0-")
        assert ("skipped" in output["icmp"]) == bool(ping_refused())
        assert {d.hostname for d in list_devices(session, unreachable=True)} == {
            *names[:150],
            "blackholed-0",
            "blackholed-1",
            "blackholed-2",
        }
        assert query_devices(session, unreachable=True, limit=1).total == 153
        assert query_devices(session, unreachable=False, limit=1).total == 850

    env = {**FAST, "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
           "NETRAVEN_HOME": settings.home.as_posix()}  # fmt: skip
    listed = CliRunner().invoke(main, ["device", "list", "--unreachable", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert len(rows) == 153 and {r["reachability"] for r in rows} == {"unreachable"}
    table = CliRunner().invoke(main, ["device", "list"], env=env)
    assert table.stdout.count("down since") == 153 and table.stdout.count(" up ") == 850


def test_an_outage_keeps_its_start_and_a_recovery_clears_it(
    engine: Engine, settings: Settings, lab, plugin_manager
) -> None:
    settings = settings_for(settings)
    fleet = lab(2, failures="1:refuse")
    down = fleet.devices[1]["hostname"]

    def run() -> Device:
        run_job("reachability", Targets.of(all=True), settings=settings, engine=engine,
                plugin_manager=plugin_manager)  # fmt: skip
        with Session(engine) as session:
            return session.scalars(select(Device).where(Device.hostname == down)).one()

    first = run()
    second = run()
    assert first.unreachable_since is not None and second.unreachable_since == first.unreachable_since
    assert second.reachability_at is not None and first.reachability_at is not None
    assert second.reachability_at > first.reachability_at

    with create_session_factory(engine).begin() as session:  # the device comes back elsewhere
        session.scalars(select(Device).where(Device.hostname == down)).one().port = fleet.devices[0]["port"]
        session.scalars(select(Device).where(Device.hostname == down)).one().host = fleet.devices[0]["host"]
    back = run()
    assert (back.reachability, back.unreachable_since) == ("reachable", None)


def test_a_caller_whose_thread_runs_an_event_loop_is_served(
    engine: Engine, settings: Settings, lab, plugin_manager
) -> None:
    # An async application or a notebook calls run_job from a thread that runs an event loop (in CI,
    # the browser tests' Playwright sync API left one running in the worker's main thread).
    settings = settings_for(settings)
    lab(2, failures="1:refuse")

    async def caller() -> RunReport:
        return run_job("reachability", Targets.of(all=True), settings=settings, engine=engine,
                       plugin_manager=plugin_manager)  # fmt: skip

    reports: list[RunReport] = []  # the caller's loop in a thread of its own: this one may run one already
    thread = threading.Thread(target=lambda: reports.append(asyncio.run(caller())))
    thread.start()
    thread.join(60)
    (report,) = reports
    assert (report.summary.status, report.summary.hosts_succeeded, report.summary.hosts_total) == (
        "partial",
        1,
        2,
    )


def test_bad_timeout_is_refused_before_anything_is_written(engine: Engine, settings: Settings) -> None:
    from netraven.exceptions import JobError

    with pytest.raises(JobError, match="parameter 'timeout' must be from 0 to 3600 seconds"):
        run_job("reachability", Targets.of(all=True), {"timeout": "-1"}, settings=settings, engine=engine)
    with Session(engine) as session:
        assert session.scalar(select(JobResult.id)) is None
