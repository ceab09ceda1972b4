"""500 devices, one full config fetch each, from a Nornir run with 50 threads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from nornir import InitNornir
from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

from netraven.simulator.spec import PLATFORMS, DeviceSpec
from netraven.simulator.state import CiscoState, new_state

COUNT = 500
COMMANDS = {"juniper_junos": "show configuration | display set"}


def expected_lines(device: dict[str, Any]) -> int:
    state = new_state(DeviceSpec(device["hostname"], device["platform"], device["host"], device["port"]))
    return len(state.running_config() if isinstance(state, CiscoState) else state.show(True))


def fetch(task: Task) -> Result:
    platform = task.host.platform or ""
    return task.run(
        netmiko_send_command,
        command_string=COMMANDS.get(platform, "show running-config"),
        enable=platform != "juniper_junos",
        read_timeout=30,
    )


@pytest.mark.slow
@pytest.mark.exclusive
def test_500_devices_from_nornir(simulated_fleet: Any, tmp_path: Path) -> None:
    fleet = simulated_fleet(COUNT, platforms=PLATFORMS, ready_timeout=20)
    hosts = {
        d["hostname"]: {
            "hostname": d["host"],
            "port": d["port"],
            "username": d["username"],
            "password": d["password"],
            "platform": d["platform"],
            "connection_options": {"netmiko": {"extras": {"secret": d["secret"], "conn_timeout": 20}}},
        }
        for d in fleet.devices
    }
    (tmp_path / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 50}},
        inventory={"plugin": "SimpleInventory", "options": {"host_file": str(tmp_path / "hosts.yaml")}},
        logging={"enabled": False},
    )
    started = time.monotonic()
    results = nr.run(task=fetch)
    elapsed = time.monotonic() - started
    nr.close_connections()
    print(f"\n{COUNT} config fetches in {elapsed:.1f} s")
    assert not results.failed_hosts, {h: str(r.exception)[:200] for h, r in results.failed_hosts.items()}
    for device in fleet.devices:
        output = results[device["hostname"]][1].result
        lines = output.splitlines()
        assert len(lines) == expected_lines(device), device["hostname"]
        if device["platform"] in ("cisco_ios", "arista_eos"):
            assert lines[-1] == "end"
    assert fleet.stop() == 0
