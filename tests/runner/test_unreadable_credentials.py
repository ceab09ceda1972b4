"""A credential that cannot be decrypted is skipped with a reason; every host still has its result (#13)."""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.credentials.store import add_credential
from netraven.credentials.vault import Vault, generate_key
from netraven.db import create_session_factory
from netraven.db.models import Device, JobLog, JobResult
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, make_settings

STALE_PASSWORD = "stale-pw-never-shown"


@PROCESSES
def test_an_undecryptable_credential_is_skipped_and_every_host_is_recorded(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(settings.home, processes)
    fleet = lab(3)
    alone = fleet.devices[2]["hostname"]
    other_key = Vault([generate_key()], source="an old key")  # not a key NetRaven has
    with create_session_factory(engine).begin() as session:
        device = session.scalar(select(Device).where(Device.hostname == alone))
        assert device is not None
        device.tags = []  # its only credential is the stale one
        add_credential(session, other_key, "stale", "admin", STALE_PASSWORD, priority=1, tags=["lab"],
                       devices=[alone])  # fmt: skip

    report = run_job(
        "backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )

    first, second = (d["hostname"] for d in fleet.devices[:2])
    assert report.summary.status == "partial", report.hosts
    assert report.hosts[first].status == report.hosts[second].status == "succeeded"
    lone = report.hosts[alone]
    assert (lone.status, lone.error_kind) == ("failed", "auth")
    assert "could not be decrypted" in lone.message and "stale" in lone.message
    assert report.message and "could not be decrypted: stale" in report.message
    with Session(engine) as session:
        results = {r.hostname: r for r in session.scalars(select(JobResult))}
        logs = list(session.scalars(select(JobLog.message).where(JobLog.run_id == report.run_id)))
    assert set(results) == {first, second, alone}
    assert results[alone].status == "failed"
    skipped = [line for line in logs if "(stale)" in line and "could not be decrypted" in line]
    assert len(skipped) == 3, logs  # one per host: each says why the credential was passed over
    assert not any(STALE_PASSWORD in line for line in logs)
