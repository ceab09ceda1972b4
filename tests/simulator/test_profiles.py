"""Every platform profile loads, and netmiko's own driver (SSH, and telnet where netmiko has one)
logs in, prepares its session and reads back exactly the profile's configuration."""

from __future__ import annotations

import random
from typing import Any

import pytest
from netmiko import ConnectHandler
from netmiko.ssh_dispatcher import CLASS_MAPPER

from netraven.exceptions import ConfigError
from netraven.simulator import profile
from netraven.simulator.inventory import netmiko_params
from netraven.simulator.process import free_base_address, start_fleet_process
from netraven.simulator.render import Clock, Context, render
from netraven.simulator.spec import ALL_PLATFORMS

GENERIC = tuple(p for p in ALL_PLATFORMS if profile.load(p).engine == "generic")
TELNET = tuple(p for p in GENERIC if f"{p}_telnet" in CLASS_MAPPER)


def test_every_profile_names_a_netmiko_driver() -> None:
    assert set(ALL_PLATFORMS) <= set(CLASS_MAPPER)
    assert {"cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"} <= set(ALL_PLATFORMS)


@pytest.mark.parametrize("platform", GENERIC)
def test_profile_renders_to_its_own_pattern_and_every_secret_is_in_it(platform: str) -> None:
    own = profile.load(platform)
    clock = Clock()
    text = "\n\n".join(
        render(own.outputs[c], Context("lab-1", "u", clock.tick(), clock.booted)) for c in own.config
    )
    assert own.config_pattern("lab-1").fullmatch(text)
    assert own.secrets, f"{platform}: a profile lists the secrets its configuration carries"
    for secret in own.secret_patterns():
        assert secret.search(text), (platform, secret.pattern)
    again = "\n\n".join(
        render(own.outputs[c], Context("lab-1", "u", clock.tick(), clock.booted)) for c in own.config
    )
    assert (again != text) == own.volatile, f"{platform}: only volatile tokens change between reads"


def test_a_wrong_profile_is_refused_by_name(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="no simulator profile for platform 'nokia_sros_x'"):
        profile.load("nokia_sros_x")
    bad = {"platform": "x", "modes": {"user": ">"}, "config": ["show"], "outputs": {"show": "{{nope}}"}}
    with pytest.raises(ValueError, match="unknown template tokens"):
        profile._build("x", bad)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Any:
    platforms = (*GENERIC, *(f"{p}_telnet" for p in TELNET))
    address, port = free_base_address(random.Random())
    workdir = tmp_path_factory.mktemp("profiles")
    with start_fleet_process(len(platforms), workdir, platforms, address, port) as running:
        yield running


def fetch(device: dict[str, Any]) -> str:
    own = profile.load(device["platform"])
    with ConnectHandler(**netmiko_params(device, conn_timeout=5)) as conn:
        if own.output_modes and own.start not in own.output_modes:
            conn.enable()
        return "\n\n".join(conn.send_command(command) for command in own.config)


@pytest.mark.parametrize(
    ("platform", "transport"), [(p, "ssh") for p in GENERIC] + [(p, "telnet") for p in TELNET]
)
def test_netmiko_reads_exactly_the_profile_config(fleet: Any, platform: str, transport: str) -> None:
    device = next(d for d in fleet.devices if d["platform"] == platform and d["transport"] == transport)
    text = fetch(device)
    assert profile.load(platform).config_pattern(device["hostname"]).fullmatch(text), text[-300:]
