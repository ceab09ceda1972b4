"""Every platform profile loads and renders to its own pattern, with its secrets, volatile lines
changing between reads. tests/runner/test_platform_matrix.py backs each one up through NetRaven."""

from __future__ import annotations

from typing import Any

import pytest
from netmiko.ssh_dispatcher import CLASS_MAPPER

from netraven import platforms
from netraven.exceptions import ConfigError
from netraven.simulator import profile
from netraven.simulator.render import Clock, Context, render
from netraven.simulator.spec import ALL_PLATFORMS

GENERIC = tuple(p for p in ALL_PLATFORMS if profile.load(p).engine == "generic")


def test_every_registry_platform_has_a_profile_naming_a_netmiko_driver() -> None:
    assert set(platforms.names()) <= set(ALL_PLATFORMS)
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


def test_a_profile_config_is_fixed_but_readable_over_the_control_socket(simulated_fleet: Any) -> None:
    fleet = simulated_fleet(1, platforms=("vyos",))
    hostname = fleet.devices[0]["hostname"]
    text = fleet.running_config(hostname)
    assert profile.load("vyos").config_pattern(hostname).fullmatch(text)
    with pytest.raises(ConfigError, match=f"{hostname}: the vyos profile's configuration is fixed"):
        fleet.configure(hostname, ["set system host-name other"])
