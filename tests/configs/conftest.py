"""Fixtures for the config store: settings with a temporary git dir, devices, simulated configs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore
from netraven.db.models import Device, JobRun
from netraven.settings import BackupSettings, Settings
from netraven.simulator import state as sim_state
from netraven.simulator.spec import DeviceSpec

T0 = datetime(2026, 1, 5, 8, 0, 0, tzinfo=UTC)


def make_settings(home: Path, **backup: Any) -> Settings:
    return Settings(home=home, backup=BackupSettings(**backup))


@pytest.fixture
def store(tmp_path: Path) -> ConfigStore:
    return ConfigStore(make_settings(tmp_path))


@pytest.fixture
def add_device(session: Session) -> Callable[..., Device]:
    def add(hostname: str, platform: str = "cisco_ios") -> Device:
        device = Device(hostname=hostname, host="127.0.0.1", platform=platform)
        session.add(device)
        session.flush()
        return device

    return add


@pytest.fixture
def add_run(session: Session) -> Callable[[], int]:
    def add() -> int:
        run = JobRun(job_type="backup")
        session.add(run)
        session.flush()
        return run.id

    return add


class Simulated:
    """A simulated device's state, rendered as the device prints it at a chosen time."""

    def __init__(self, hostname: str, platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spec = DeviceSpec(hostname=hostname, platform=platform, host="127.0.0.1", port=22)
        self.state = sim_state.new_state(self.spec)
        self._monkeypatch = monkeypatch

    def fetch(self, at: datetime) -> str:
        """The running config as fetched at ``at`` (volatile header lines reflect that time)."""

        class FrozenDatetime(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> FrozenDatetime:  # type: ignore[override]
                return cls.fromtimestamp(at.timestamp(), tz)

        with self._monkeypatch.context() as m:
            m.setattr(sim_state, "datetime", FrozenDatetime)
            if isinstance(self.state, sim_state.JunosState):
                lines = self.state.show(display_set=False)
            else:
                lines = self.state.running_config()
        return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def simulated(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], Simulated]:
    return lambda hostname, platform: Simulated(hostname, platform, monkeypatch)
