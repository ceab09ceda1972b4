"""The registry's public API: lookup, aliases, the tables it replaced, facts regexes, frozen records."""

from __future__ import annotations

import dataclasses

import pytest

from netraven import platforms
from netraven.exceptions import ConfigError
from netraven.simulator.platforms import texts


def test_get_names_and_aliases() -> None:
    assert {"cisco_ios", "juniper_junos", "arista_eos", "cisco_nxos"} <= set(platforms.names())
    assert platforms.names() == tuple(sorted(platforms.names()))
    assert platforms.get("juniper") is platforms.get("juniper_junos")  # netmiko's other name for it
    assert "juniper" not in platforms.names()
    ios = platforms.get("cisco_ios")
    assert ios.commands == ("show running-config",) and ios.enable and ios.telnet == "cisco_ios_telnet"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ios.enable = False  # type: ignore[misc]


def test_unknown_platform_is_one_line_with_a_suggestion() -> None:
    with pytest.raises(ConfigError, match=r"^unknown platform 'cisco_iso' \(did you mean 'cisco_ios'\?\)$"):
        platforms.get("cisco_iso")
    assert platforms.find("cisco_iso") is None


def test_the_old_tables_still_answer() -> None:
    assert platforms.backup_command("juniper_junos") == ("show configuration", False)
    assert platforms.backup_command("cisco_asa") == ("show running-config", True)
    assert platforms.backup_command("no_such_type") == platforms.DEFAULT_BACKUP_COMMAND
    assert platforms.backup_command(None) == ("show running-config", False)
    assert platforms.BACKUP_COMMANDS["arista_eos"] == ("show running-config", True)  # type: ignore[attr-defined]
    pattern, what = platforms.CONFIG_MARKERS["cisco_ios"]  # type: ignore[attr-defined]
    assert pattern.search("hostname r1") and "hostname" in what
    assert platforms.ERROR_MARKERS.search("% Invalid input detected")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        platforms.NO_SUCH_TABLE  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize("platform", sorted(texts.VERSIONS))
def test_facts_regexes_read_the_simulated_show_version(platform: str) -> None:
    facts = platforms.get(platform).facts
    assert facts is not None and facts.command == "show version"
    found = facts.parse("\n".join(texts.VERSIONS[platform]("r7")))
    assert found.get("os_version") and found.get("model"), found
    assert found["os_version"][0].isdigit()


def test_several_outputs_join_in_order_with_a_blank_line() -> None:
    ios = platforms.get("cisco_ios")
    assert ios.join(["one\n", "\ntwo\n"]) == "one\n\ntwo"
    assert ios.join(["only\n"]) == "only\n"
    assert ios.command == "show running-config"


def test_telnet_variants_and_aliases_are_netmiko_device_types() -> None:
    for name in platforms.names():
        entry = platforms.get(name)
        assert name in platforms.known_platforms()
        assert entry.telnet is None or entry.telnet in platforms.known_platforms(), entry.telnet
        assert set(entry.aliases) <= platforms.known_platforms(), entry.aliases
        assert entry.description and entry.commands
