"""The start command: READY line, inventory files, signals, deadline, refusing non-loopback binds."""

from __future__ import annotations

import csv
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netraven.exceptions import ConfigError
from netraven.simulator.cli import start
from netraven.simulator.process import free_base_address
from netraven.simulator.spec import Failure, build_fleet, parse_failures


def test_refuses_a_non_loopback_bind() -> None:
    result = CliRunner().invoke(start, ["--count", "2", "--base-address", "10.0.0.1"])
    assert result.exit_code == 2
    assert "only listens on 127.0.0.0/8" in result.output
    with pytest.raises(ConfigError, match=r"127\.0\.0\.0/8"):
        build_fleet(1, base_address="192.168.1.1")


def test_refuses_a_range_leaving_loopback() -> None:
    with pytest.raises(ConfigError, match=r"leave 127\.0\.0\.0/8"):
        build_fleet(3, base_address="127.255.255.254")


def test_failure_spec_parsing() -> None:
    assert parse_failures("0:refuse, 2-3:slow=0.5", 4) == {
        0: Failure("refuse"),
        2: Failure("slow", 0.5),
        3: Failure("slow", 0.5),
    }
    assert str(Failure.parse("auth_only=1")) == "auth_only=1"
    for bad in ("0:explode", "0:slow", "0:refuse=1", "9:refuse", "x:refuse", "refuse"):
        with pytest.raises(ConfigError):
            parse_failures(bad, 4)


def test_round_robin_platforms_and_per_port_layout() -> None:
    spec = build_fleet(5, ("cisco_ios", "juniper_junos"), "127.0.0.1", 4000, per_port=True)
    assert [d.platform for d in spec.devices] == ["cisco_ios", "juniper_junos"] * 2 + ["cisco_ios"]
    assert {d.host for d in spec.devices} == {"127.0.0.1"}
    assert [d.port for d in spec.devices] == list(range(4000, 4005))


def run_start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "netraven.simulator", "start", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_ready_line_csv_inventory_and_sigterm(tmp_path: Path) -> None:
    address, port = free_base_address(random.Random())
    inventory = tmp_path / "fleet.csv"
    process = run_start(
        "--count",
        "3",
        "--platform",
        "cisco_ios",
        "--platform",
        "arista_eos",
        "--base-address",
        address,
        "--port",
        str(port),
        "--per-port",
        "--inventory-out",
        str(inventory),
        "--state-dir",
        str(tmp_path / "state"),
        "--failures",
        "1:slow=0.1",
    )
    assert process.stdout is not None
    ready = process.stdout.readline()
    assert ready.startswith(f"READY count=3 addresses={address}:{port}-{port + 2} pid={process.pid} ")
    rows = list(csv.DictReader(inventory.read_text().splitlines()))
    assert [r["platform"] for r in rows] == ["cisco_ios", "arista_eos", "cisco_ios"]
    assert rows[1]["failure"] == "slow=0.1" and rows[0]["username"] == "nr-admin"
    assert (tmp_path / "state" / "ssh_host_ed25519_key").exists()
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=10)
    assert process.returncode == 0


def test_max_seconds_stops_and_key_persists(tmp_path: Path) -> None:
    address, port = free_base_address(random.Random())
    state = ["--state-dir", str(tmp_path)]
    for _ in range(2):
        process = run_start(
            "--count", "1", "--base-address", address, "--port", str(port), "--max-seconds", "0.2", *state
        )
        out, _ = process.communicate(timeout=10)
        assert process.returncode == 0 and out.startswith("READY")
        key = (tmp_path / "ssh_host_ed25519_key").read_bytes()
    assert key == (tmp_path / "ssh_host_ed25519_key").read_bytes()


def test_address_in_use_is_one_clear_error(tmp_path: Path) -> None:
    address, port = free_base_address(random.Random())
    first = run_start(
        "--count", "1", "--base-address", address, "--port", str(port), "--state-dir", str(tmp_path)
    )
    assert first.stdout is not None and first.stdout.readline().startswith("READY")
    second = run_start(
        "--count", "1", "--base-address", address, "--port", str(port), "--state-dir", str(tmp_path)
    )
    _, err = second.communicate(timeout=10)
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=10)
    assert first.returncode == 0
    assert second.returncode == 1 and "simulator could not start" in err and "Traceback" not in err
