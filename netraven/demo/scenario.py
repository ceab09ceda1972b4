"""The demo scenario, step by step, on the embedded default (SQLite, SqliteHuey, git) in its own directory.

It never touches the user's own data directory: everything lives in the demo directory, which is
wiped at the start of each demo (only if it holds the demo's marker file), so running it twice works.
"""

from __future__ import annotations

import secrets
import shutil
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml
from sqlalchemy import Engine

from netraven import users
from netraven.configs import ConfigStore
from netraven.credentials.store import add_credential, vault_for_new_credentials
from netraven.datadir import private_dir
from netraven.db import migrate
from netraven.db.session import create_engine_from_settings, create_session_factory
from netraven.exceptions import ConfigError
from netraven.inventory import import_devices
from netraven.jobs import HostOutcome, Targets
from netraven.redaction import Redactor
from netraven.runner import RunReport, run_job
from netraven.settings import Settings, load_settings
from netraven.simulator.process import FleetProcess, free_base_address, start_fleet_process

MARKER = ".netraven-demo"
WEB_ADMIN = "admin"
PLATFORMS = ("cisco_ios", "arista_eos", "cisco_nxos", "juniper_junos")
# device index -> failure mode: the ways devices fail at night (index 16 is an IOS device)
DEMO_FAILURES = {5: "auth_only=2", 11: "refuse", 16: "bad_enable", 23: "hang_mid_output", 29: "garbled"}
# what an engineer changes on a few devices between the two backups
CHANGES = {
    "juniper_junos": ["set system location demo-rack-7"],
    "default": ["interface Loopback100", " description changed during the NetRaven demo"],
}
# short device timeouts, so the failing devices do not make the demo wait
DEMO_SETTINGS = {
    "connection": {
        "timeout": 3,
        "read_timeout": 3,
        "host_time_limit": 20,
        "retry_attempts": 2,
        "retry_initial_delay": 0.5,
    },
}


@dataclass
class DemoResult:
    """What the demo did, for its summary."""

    home: Path
    devices: int
    backed_up: int
    first_run: RunReport
    second_run: RunReport
    changed: list[str]
    failures: Counter[str]
    diff_device: str | None = None
    diff: str = ""
    web_user: str = ""
    web_password: str = ""  # of the demo's web admin: printed once, kept nowhere in clear


class RunCallbacks(Protocol):
    def on_start(self, run_id: int, hosts: int) -> None: ...

    def on_host(self, outcome: HostOutcome) -> None: ...


class DemoSteps:
    """What the demo reports as it goes; the CLI draws it, the default says nothing."""

    def step(self, line: str) -> None:
        """A step is done."""

    def progress(self, label: str) -> AbstractContextManager[RunCallbacks | None]:
        """Progress callbacks for the backup run ``label``, for the duration of the run."""
        return nullcontext()


def prepare_home(home: Path) -> None:
    """Empty ``home`` for a new demo: refuse a non-empty directory that is not a demo's."""
    if home.exists() and any(home.iterdir()):
        if not (home / MARKER).exists():
            raise ConfigError(f"{home} is not empty and not a NetRaven demo directory: give another --home")
        shutil.rmtree(home)
    private_dir(home)
    (home / MARKER).write_text("NetRaven demo data: deleted and recreated by each 'netraven demo'.\n")
    (home / "netraven.yaml").write_text(yaml.safe_dump(DEMO_SETTINGS, sort_keys=False))


def demo_settings(home: Path) -> Settings:
    """The demo's settings: defaults and the demo's netraven.yaml, nothing from the environment."""
    return load_settings(environ={"NETRAVEN_HOME": home.as_posix()})


def run_demo(home: Path, devices: int, user: str, steps: DemoSteps) -> DemoResult:
    """Run the whole demo in ``home`` (see the module docstring); the simulator is always stopped."""
    prepare_home(home)
    settings = demo_settings(home)
    engine = create_engine_from_settings(settings)
    try:
        migrate.upgrade(engine)
        steps.step(f"Created the database {settings.database_url}")
        address, port = free_base_address()
        failures = ",".join(f"{i}:{mode}" for i, mode in DEMO_FAILURES.items() if i < devices)
        fleet = start_fleet_process(
            devices, home / "simulator", PLATFORMS, base_address=address, port=port, failures=failures
        )
        with fleet:
            kinds = "IOS, EOS, NX-OS, Junos"
            steps.step(f"Started {devices} simulated devices ({kinds}) on {address} and up, port {port}")
            _load_inventory(settings, engine, fleet)
            steps.step(
                f"Imported the devices (tag 'demo') and {len(fleet.credentials)} credentials, encrypted"
            )
            first = _backup(settings, engine, user, steps, "first backup")
            changed = _change_configs(fleet, first)
            steps.step(f"Changed the configuration of {', '.join(changed)} on the devices")
            second = _backup(settings, engine, user, steps, "second backup")
        result = _result(settings, engine, home, devices, first, second)
        result.web_user, result.web_password = WEB_ADMIN, add_web_admin(settings, engine)
        steps.step(f"Created the web pages' user {WEB_ADMIN!r} (role admin) with a new random password")
        return result
    finally:
        engine.dispose()


def add_web_admin(settings: Settings, engine: Engine) -> str:
    """The demo's admin for the web pages, :data:`WEB_ADMIN`, with a new random password (returned)."""
    password = secrets.token_urlsafe(12)
    with create_session_factory(engine).begin() as session:
        users.add_user(session, settings, WEB_ADMIN, password, "admin")
    return password


def _load_inventory(settings: Settings, engine: Engine, fleet: FleetProcess) -> None:
    with create_session_factory(engine).begin() as session:
        vault = vault_for_new_credentials(session, settings)
        import_devices(session, fleet.inventory, default_tags=["demo"])
        for position, cred in enumerate(fleet.credentials, 1):
            add_credential(session, vault, f"demo-{position}", cred["username"], cred["password"],
                           fleet.description["secret"], priority=10 * position, tags=["demo"])  # fmt: skip


def _backup(settings: Settings, engine: Engine, user: str, steps: DemoSteps, label: str) -> RunReport:
    with steps.progress(label) as progress:
        return run_job(
            "backup",
            Targets.of(tags=["demo"]),
            settings=settings,
            engine=engine,
            triggered_by=user,
            on_start=progress.on_start if progress else None,
            on_host=progress.on_host if progress else None,
        )


def _change_configs(fleet: FleetProcess, first: RunReport) -> list[str]:
    backed_up = [d for d in fleet.devices if first.hosts[d["hostname"]].status == "succeeded"]
    chosen = [backed_up[0], backed_up[1], backed_up[3]] if len(backed_up) > 3 else backed_up[:1]
    for device in chosen:
        fleet.configure(device["hostname"], CHANGES.get(device["platform"], CHANGES["default"]))
    return [d["hostname"] for d in chosen]


def _result(
    settings: Settings, engine: Engine, home: Path, devices: int, first: RunReport, second: RunReport
) -> DemoResult:
    changed = sorted(o.hostname for o in second.hosts.values() if o.changed)
    failures = Counter[str](o.error_kind or "other" for o in second.hosts.values() if o.status == "failed")
    backed_up = sum(1 for o in first.hosts.values() if o.status == "succeeded")
    result = DemoResult(home, devices, backed_up, first, second, changed, failures)
    if changed:
        with create_session_factory(engine)() as session:
            result.diff_device = changed[0]
            result.diff = Redactor().redact(ConfigStore(settings).diff(session, changed[0]))
    return result
