"""Runner tests: fresh databases committed for real, simulated fleets over real SSH on loopback."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from netraven import hookimpl
from netraven.jobs.events import DeviceInfo
from netraven.plugins import NetRavenPluginManager, create_plugin_manager
from netraven.settings import Settings, load_settings
from netraven.simulator.process import FleetProcess
from tests.inventory_plugin.conftest import load_fleet

FAST = {
    "NETRAVEN_CONNECTION__TIMEOUT": "3",
    "NETRAVEN_CONNECTION__AUTH_TIMEOUT": "5",
    "NETRAVEN_CONNECTION__BANNER_TIMEOUT": "3",
    "NETRAVEN_CONNECTION__READ_TIMEOUT": "4",
    "NETRAVEN_CONNECTION__RETRY_ATTEMPTS": "2",
    "NETRAVEN_CONNECTION__RETRY_INITIAL_DELAY": "0.1",
    "NETRAVEN_CONNECTION__HOST_TIME_LIMIT": "25",
}


@pytest.fixture
def engine(fresh_engine: Engine) -> Engine:
    return fresh_engine


def make_settings(home: Path, **overrides: str) -> Settings:
    """Settings with short device timeouts in ``home``; ``overrides`` are NETRAVEN_* variables."""
    return load_settings(environ={"NETRAVEN_HOME": home.as_posix(), **FAST, **overrides})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "home")


class Recorder:
    """A plugin recording the notification hooks it receives."""

    def __init__(self) -> None:
        self.changed: list[tuple[DeviceInfo, str | None, str, str]] = []
        self.hosts: list[Any] = []
        self.finished: list[Any] = []

    @hookimpl
    def netraven_config_changed(self, device: DeviceInfo, old: str | None, new: str, diff: str) -> None:
        self.changed.append((device, old, new, diff))

    @hookimpl
    def netraven_host_completed(self, host: Any) -> None:
        self.hosts.append(host)

    @hookimpl
    def netraven_run_finished(self, summary: Any) -> None:
        self.finished.append(summary)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def plugin_manager(recorder: Recorder) -> NetRavenPluginManager:
    """The installed plugins (built-in job types) plus the recorder."""
    return create_plugin_manager(plugins=[recorder])


@pytest.fixture
def lab(
    engine: Engine, settings: Settings, simulated_fleet: Callable[..., FleetProcess]
) -> Callable[..., FleetProcess]:
    """Factory: start a simulated fleet and store its devices (tag ``lab``) and credentials."""

    def start(count: int, **options: Any) -> FleetProcess:
        fleet = simulated_fleet(count, **options)
        load_fleet(engine, settings, fleet.devices, fleet.credentials, fleet.description["secret"])
        return fleet

    return start
