"""A run counts every login outcome (deferred to the host's result, see ``record_later``)."""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import Credential, Device
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from tests.runner.conftest import PROCESSES, make_settings


@PROCESSES
def test_run_counts_logins_like_a_direct_connection(
    engine: Engine, settings: Settings, lab, plugin_manager: NetRavenPluginManager, processes: int
) -> None:
    settings = make_settings(settings.home, processes)
    fleet = lab(3, failures="1:auth_only=2,2:refuse")  # device 1 takes the third credential only
    report = run_job(
        "backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=plugin_manager
    )
    assert (report.summary.hosts_succeeded, report.summary.hosts_failed) == (2, 1)

    with Session(engine) as session:
        creds = {c.name: c for c in session.scalars(select(Credential))}
        devices = {d.hostname: d for d in session.scalars(select(Device))}
    counts = {name: (c.success_count, c.failure_count) for name, c in creds.items()}
    assert counts == {"lab-1": (1, 1), "lab-2": (0, 1), "lab-3": (1, 0)}
    assert all(c.last_used is not None for c in creds.values())
    first, picky, refused = (devices[d["hostname"]] for d in fleet.devices)
    assert first.last_credential_id == creds["lab-1"].id and first.last_seen is not None
    assert picky.last_credential_id == creds["lab-3"].id
    assert refused.last_credential_id is None and refused.last_seen is None
