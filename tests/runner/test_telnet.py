"""Backups over telnet: asked for by the device, by a tag, or by a ``<type>_telnet`` platform, with
the same credential fallback, redaction and logs as SSH; never tried unless asked for."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.credentials.store import add_credential
from netraven.credentials.vault import load_vault
from netraven.db import create_session_factory
from netraven.db.models import ConnectionLog, Credential, Device, DeviceConfiguration, JobLog, JobResult, Tag
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings

pytestmark = pytest.mark.slow  # telnet logins wait on netmiko's fixed sleeps (~3 s each)


def test_telnet_when_asked_and_only_then(
    engine: Engine, settings: Settings, simulated_fleet, plugin_manager: NetRavenPluginManager
) -> None:
    # every listener is a telnet server; device 0 takes only the second lab credential
    fleet = simulated_fleet(
        4, platforms=("cisco_ios_telnet", "arista_eos_telnet", "cisco_xe_telnet"), failures="0:auth_only=1"
    )
    own, tagged, typed, unasked = fleet.devices
    secret = fleet.description["secret"]
    vault = load_vault(settings, create=True)
    with create_session_factory(engine).begin() as session:
        lab = Tag(name="lab", type="site")
        legacy = Tag(name="legacy-mgmt", type="role", transport="telnet")
        session.add_all([
            Device(hostname=own["hostname"], host=own["host"], port=own["port"], platform="cisco_ios",
                   transport="telnet", tags=[lab]),
            Device(hostname=tagged["hostname"], host=tagged["host"], port=tagged["port"], platform="arista_eos",
                   tags=[lab, legacy]),
            Device(hostname=typed["hostname"], host=typed["host"], port=typed["port"], platform="cisco_xe_telnet",
                   tags=[lab]),
            Device(hostname=unasked["hostname"], host=unasked["host"], port=unasked["port"], platform="cisco_ios",
                   tags=[lab]),
        ])  # fmt: skip
        session.flush()
        for position, cred in enumerate(fleet.credentials):
            add_credential(session, vault, f"lab-{position + 1}", cred["username"], cred["password"], secret,
                           priority=10 * (position + 1), tags=["lab"])  # fmt: skip

    report = run_job("backup", Targets.of(all=True), settings=settings, engine=engine,
                     plugin_manager=plugin_manager)  # fmt: skip

    by_host = {o.hostname: o for o in report.hosts.values()}
    for device in (own, tagged, typed):
        assert by_host[device["hostname"]].status == "succeeded", by_host[device["hostname"]].message
    # an SSH client against a telnet server: it fails, and telnet is not tried in its place
    assert by_host[unasked["hostname"]].status == "failed"
    assert by_host[unasked["hostname"]].error_kind in ("timeout", "connection")

    with Session(engine) as session:
        result = session.scalar(select(JobResult).where(JobResult.hostname == own["hostname"]))
        assert result is not None and result.attempts == 2  # the first credential refused, the second in
        assert result.credential_id == session.scalar(select(Credential.id).where(Credential.name == "lab-2"))
        stored = session.scalars(select(DeviceConfiguration.config_text)).all()
        assert len(stored) == 3 and all("hostname " in text and "#" not in text[-3:] for text in stored)
        logs = "\n".join([
            *session.scalars(select(ConnectionLog.transcript)),
            *session.scalars(select(JobLog.message)),
            *(m or "" for m in session.scalars(select(JobResult.message))),
        ])  # fmt: skip
    assert "Username:" in logs or "login:" in logs  # the telnet logins are in the transcripts
    for cred in fleet.credentials:
        assert cred["password"] not in logs
    assert secret not in logs
