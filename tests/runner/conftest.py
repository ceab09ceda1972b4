"""Runner tests: fresh databases committed for real, simulated fleets over real SSH on loopback."""

import logging
from collections.abc import Callable, Iterator
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


@pytest.fixture(autouse=True)
def _runs_really_sharded(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A test run with ``processes`` = 2 (see :data:`PROCESSES`) must have used two processes."""
    caplog.set_level(logging.INFO, logger="netraven.runner")
    yield
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("processes") == 2:
        lines = [record.getMessage() for record in caplog.get_records("call")]
        assert any("hosts in 2 processes" in line for line in lines), "the runs did not use 2 processes"


@pytest.fixture
def engine(fresh_engine: Engine) -> Engine:
    return fresh_engine


def shard_pids(parent: int | None = None) -> list[int]:
    """The shard processes on this machine (children of ``parent`` only, if given), from /proc:
    new interpreters running ``netraven.runner.shard_child``, or forks of ``parent`` (the same
    command line as it, as ``netraven run`` forks them)."""
    parent_cmdline = _cmdline(parent) if parent is not None else None
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent not in (None, ppid):
            continue
        if b"netraven.runner.shard_child" in cmdline or (parent_cmdline and cmdline == parent_cmdline):
            pids.append(int(entry.name))
    return pids


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


#: Run a test with its runs in this process, then split over two shard processes.
PROCESSES = pytest.mark.parametrize("processes", [1, 2], ids=["one-process", "two-processes"])


def make_settings(home: Path, processes: int = 1, **overrides: str) -> Settings:
    """Settings with short device timeouts in ``home``; ``overrides`` are NETRAVEN_* variables.

    With ``processes`` > 1 every run, however small, splits its hosts over that many processes.
    """
    shards = {"NETRAVEN_RUNNER__PROCESSES": str(processes), "NETRAVEN_RUNNER__MIN_HOSTS_PER_PROCESS": "1"}
    return load_settings(environ={"NETRAVEN_HOME": home.as_posix(), **FAST, **shards, **overrides})


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
