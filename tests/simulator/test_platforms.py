"""Each platform through netmiko's own driver: login, session preparation, config fetch and change."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from netmiko import ConnectHandler

from netraven.simulator.inventory import netmiko_params
from netraven.simulator.process import free_base_address, start_fleet_process
from netraven.simulator.spec import PLATFORMS

FETCH = {"juniper_junos": "show configuration | display set"}
CHANGE: dict[str, tuple[list[str], str]] = {
    "cisco_ios": (
        ["interface Loopback42", "description changed-by-test", "exit", "snmp-server location lab-7"],
        "snmp-server location lab-7",
    ),
    "cisco_nxos": (["interface loopback42", "description changed-by-test"], "  description changed-by-test"),
    "arista_eos": (
        ["no ip name-server 10.0.0.0", "snmp-server contact test@example.net"],
        "snmp-server contact test@example.net",
    ),
    "juniper_junos": (["set system location building-7"], "set system location building-7"),
}
VOLATILE = ("! Last configuration change", "ntp clock-period", "!Time:", "! Time:", "## Last changed")


def connect(device: dict[str, Any], **extra: Any) -> Any:
    return ConnectHandler(**netmiko_params(device, conn_timeout=5, **extra))


def stable(config: str) -> list[str]:
    return [line for line in config.splitlines() if not line.startswith(VOLATILE)]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Any:
    address, port = free_base_address(random.Random())
    with start_fleet_process(8, tmp_path_factory.mktemp("platforms"), PLATFORMS, address, port) as running:
        yield running


@pytest.mark.parametrize("platform", PLATFORMS)
def test_fetch_change_and_refetch(fleet: Any, platform: str) -> None:
    device = next(d for d in fleet.devices if d["platform"] == platform)
    command = FETCH.get(platform, "show running-config")
    lines, expected = CHANGE[platform]
    with connect(device) as conn:
        conn.enable()
        before = conn.send_command(command)
        time.sleep(1.05)  # second-resolution timestamps must move
        again = conn.send_command(command)
        assert stable(before) == stable(again)
        assert before != again, "volatile lines must differ between fetches"
        if platform == "juniper_junos":
            conn.send_config_set(lines, exit_config_mode=False)
            assert "commit complete" in conn.commit(and_quit=True)
        else:
            conn.send_config_set(lines)
        after = conn.send_command(command)
    assert len(before.splitlines()) >= 150
    assert expected not in before and expected in after


def test_ios_details(fleet: Any) -> None:
    device = next(d for d in fleet.devices if d["platform"] == "cisco_ios")
    with connect(device) as conn:
        assert conn.find_prompt().endswith(">")
        assert "Invalid input" in conn.send_command("show running-config")  # needs enable
        conn.enable()
        assert conn.find_prompt().endswith("#")
        config = conn.send_command("sh run")
        assert config.splitlines()[-1] == "end"
        assert "secret 5 $1$" in config and "password 7 " in config and "key-string 7" in config
        conn.send_config_set(["no snmp-server contact"])
        assert "snmp-server contact" not in conn.send_command("show running-config | include snmp")
        assert "[OK]" in conn.save_config()
        error = conn.send_command("show bogus-thing")
        assert "% Invalid input detected at '^' marker." in error and "^" in error.splitlines()[0]
        assert "IOSv" in conn.send_command("sh ver")


def test_paging_without_terminal_length(fleet: Any) -> None:
    device = next(d for d in fleet.devices if d["platform"] == "cisco_nxos")
    with connect(device) as conn:
        conn.send_command("terminal length 24", expect_string=r"# $")
        out = conn.send_command("show running-config", expect_string=r"--More--")
        assert len(out.splitlines()) <= 24
        conn.write_channel(" ")
        more = conn.read_until_pattern(r"--More--")
        assert "--More--" in more
        conn.write_channel("q")
        conn.read_until_pattern(r"# $")


def test_junos_curly_config(fleet: Any) -> None:
    device = next(d for d in fleet.devices if d["platform"] == "juniper_junos")
    with connect(device) as conn:
        config = conn.send_command("show configuration")
        assert config.startswith("## Last changed:") and "## Last commit:" in config
        assert "system {" in config and config.rstrip().endswith("}")
        assert "unknown command." in conn.send_command("frobnicate now")
        assert "syntax error" in conn.send_command("show frobnication")


def test_control_socket_changes_config(fleet: Any) -> None:
    device = next(d for d in fleet.devices if d["platform"] == "arista_eos")
    fleet.configure(device["hostname"], ["interface Ethernet99", "description from-control"])
    assert "   description from-control" in fleet.running_config(device["hostname"])
    with connect(device) as conn:
        conn.enable()
        assert "   description from-control" in conn.send_command("show running-config")
