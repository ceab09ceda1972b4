"""pytest fixtures: simulated fleets in a separate process, stopped by PID at teardown.

Register with ``pytest_plugins = ["netraven.simulator.pytest_plugin"]``, then::

    def test_backup(simulated_fleet):
        fleet = simulated_fleet(4, platforms=("cisco_ios", "juniper_junos"), failures="3:refuse")
        for device in fleet.devices: ...   # dicts: hostname, host, port, platform, username, ...
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from netraven.simulator.process import FleetProcess, SimulatorError, free_base_address, start_fleet_process

FleetFactory = Callable[..., FleetProcess]


@pytest.fixture
def simulated_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FleetFactory]:
    """Factory ``(count, **options) -> FleetProcess``; options as :func:`start_fleet_process`."""
    started: list[FleetProcess] = []
    rng = random.Random()

    def start(count: int, **options: Any) -> FleetProcess:
        workdir: Path = options.pop("workdir", None) or tmp_path_factory.mktemp("simulator")
        for attempt in range(3):
            if "base_address" not in options or attempt:
                options["base_address"], options["port"] = free_base_address(rng)
            try:
                fleet = start_fleet_process(count, workdir, **options)
                break
            except SimulatorError as exc:
                if "in use" not in str(exc) or attempt == 2:
                    raise
        started.append(fleet)
        return fleet

    yield start
    for fleet in started:
        fleet.stop()
