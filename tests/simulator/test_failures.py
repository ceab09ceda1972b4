"""Every failure mode, seen the way NetRaven will see it: through netmiko, with short timeouts."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadTimeout,
)

from netraven.simulator.inventory import netmiko_params
from netraven.simulator.process import free_base_address, start_fleet_process


def connect(device: dict[str, Any], **extra: Any) -> Any:
    return ConnectHandler(**netmiko_params(device, conn_timeout=5, **extra))


FAILURES = (
    "1:auth_only=1,2:bad_enable,3:slow=0.3,4:hang_after_login,5:hang_mid_output,"
    "6:drop_mid_output,7:refuse,8:slow_banner=3,9:garbled,10:slow_banner=0.5,11:bad_enable"
)
PLATFORMS = ("cisco_ios",) * 11 + ("arista_eos",)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Any:
    address, port = free_base_address(random.Random())
    workdir = tmp_path_factory.mktemp("failures")
    with start_fleet_process(12, workdir, PLATFORMS, address, port, failures=FAILURES) as running:
        yield running


def by_failure(fleet: Any, failure: str) -> dict[str, Any]:
    return next(d for d in fleet.devices if d["failure"] == failure)


def test_healthy_device_has_no_failure(fleet: Any) -> None:
    device = fleet.devices[0]
    assert device["failure"] == ""
    with connect(device) as conn:
        conn.enable()
        assert conn.send_command("show running-config").splitlines()[-1] == "end"


def test_auth_only_accepts_only_the_nth_credential(fleet: Any) -> None:
    device = by_failure(fleet, "auth_only=1")
    with pytest.raises(NetmikoAuthenticationException):
        connect(device)
    second = fleet.credentials[1]
    with connect({**device, **second}) as conn:
        assert conn.find_prompt().endswith(">")


def test_wrong_password_is_an_authentication_error(fleet: Any) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        connect({**fleet.devices[0], "password": "Not-The-Lab-Pass"})


@pytest.mark.parametrize("failure", ["bad_enable"])
def test_bad_enable_rejects_the_secret(fleet: Any, failure: str) -> None:
    for device in (d for d in fleet.devices if d["failure"] == failure):
        # netmiko's IOS driver notices the '>' prompt (ValueError); its EOS driver waits for '#'
        with connect(device, read_timeout_override=2) as conn:
            with pytest.raises((ValueError, ReadTimeout)):
                conn.enable()
            conn.write_channel("enable\n")
            conn.read_until_pattern("Password:")
            conn.write_channel(device["secret"] + "\n")
            reply = conn.read_until_pattern(r">")
            assert "% Access denied" in reply or "% Bad secrets" in reply


def test_slow_delays_every_command(fleet: Any) -> None:
    with connect(by_failure(fleet, "slow=0.3")) as conn:
        started = time.monotonic()
        assert "IOSv" in conn.send_command("show version")
        assert time.monotonic() - started >= 0.3


def test_hang_after_login_times_out_reading(fleet: Any) -> None:
    with pytest.raises(ReadTimeout):
        connect(by_failure(fleet, "hang_after_login"), read_timeout_override=2)


def test_hang_mid_output_times_out_with_partial_output(fleet: Any) -> None:
    with connect(by_failure(fleet, "hang_mid_output"), read_timeout_override=2) as conn:
        conn.enable()
        with pytest.raises(ReadTimeout):
            conn.send_command("show running-config", read_timeout=2)


def test_drop_mid_output_closes_the_connection(fleet: Any) -> None:
    conn = connect(by_failure(fleet, "drop_mid_output"))
    conn.enable()
    with pytest.raises(ReadTimeout):  # netmiko does not notice the EOF; it times out
        conn.send_command("show running-config", read_timeout=3)
    assert not conn.is_alive()


def test_refuse_has_nothing_listening(fleet: Any) -> None:
    started = time.monotonic()
    with pytest.raises(NetmikoTimeoutException, match="TCP connection to device failed"):
        connect(by_failure(fleet, "refuse"))
    assert time.monotonic() - started < 3


def test_slow_banner_beyond_banner_timeout(fleet: Any) -> None:
    with pytest.raises(NetmikoTimeoutException):
        connect(by_failure(fleet, "slow_banner=3"), banner_timeout=1)


def test_slow_banner_within_timeout_connects(fleet: Any) -> None:
    started = time.monotonic()
    with connect(by_failure(fleet, "slow_banner=0.5")) as conn:
        assert conn.find_prompt().endswith(">")
    assert time.monotonic() - started >= 0.5


def test_garbled_output_differs_from_the_config(fleet: Any) -> None:
    device = by_failure(fleet, "garbled")
    clean = fleet.running_config(device["hostname"]).splitlines()
    with connect(device) as conn:
        conn.enable()
        output = conn.send_command("show running-config")
    body = [line for line in clean if not line.startswith(("ntp clock-period", "! "))]
    damaged = sum(1 for line in body if line not in output.splitlines())
    assert damaged > 0
