"""A site's ``platforms:`` settings: new platforms from a YAML block, changes merged into built-in
ones, and wrong entries refused by name with a suggestion, the registry in use left as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from netraven import platforms
from netraven.exceptions import ConfigError
from netraven.redaction import MASK, Redactor
from netraven.settings import load_settings

SITE = """
platforms:
  cisco_ftd:
    base: cisco_asa
    description: Cisco Firepower Threat Defense
    commands: [show running-config all]
  zyxel_os:
    commands: [show running-config]
    enable: true
    secrets: ['admin-password[ \\t]+(?P<s>\\S+)']
  cisco_ios:
    commands: [show running-config, show vlan brief]
    secrets: ['site-key[ \\t]+(?P<s>\\S+)']
    volatile: ['^! site banner stamp ']
"""


@pytest.fixture(autouse=True)
def built_in_again() -> Iterator[None]:
    yield
    platforms.use_site(None)


def load(tmp_path: Path, text: str, **env: str) -> None:
    config = tmp_path / "netraven.yaml"
    config.write_text(text)
    load_settings(config, environ={"NETRAVEN_HOME": str(tmp_path), **env})


def test_new_platforms_and_changes_from_settings(tmp_path: Path) -> None:
    load(tmp_path, SITE)
    ftd = platforms.get("cisco_ftd")
    asa = platforms.get("cisco_asa")
    assert ftd.commands == ("show running-config all",) and ftd.enable is asa.enable
    assert ftd.secrets == asa.secrets and ftd.aliases == ()  # the base's patterns, not its names
    assert platforms.get("zyxel_os").enable
    assert Redactor(platform="zyxel_os").redact("admin-password Zy1") == f"admin-password {MASK}"
    ios = platforms.get("cisco_ios")
    assert ios.commands == ("show running-config", "show vlan brief")
    redactor = Redactor(platform="cisco_ios")
    assert redactor.redact("site-key K1") == f"site-key {MASK}"
    assert redactor.redact(" ip nhrp authentication X") == f" ip nhrp authentication {MASK}"  # kept
    assert any(p.match("! site banner stamp 42") for p in ios.volatile)
    assert any(p.match("! NVRAM config last updated at 1") for p in ios.volatile)


def test_an_entry_from_the_environment_is_a_json_object(tmp_path: Path) -> None:
    entry = {"base": "cisco_ios", "commands": ["show running-config view full"]}
    load_settings(environ={"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_PLATFORMS__CISCO_XE": json.dumps(entry)})
    assert platforms.get("cisco_xe").commands == ("show running-config view full",)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "cisco_ios: {comands: [show run]}",
            "platforms.cisco_ios.comands: unknown key (did you mean 'commands'?)",
        ),
        (
            "cisco_ftd: {base: cisco_iso}",
            "platforms.cisco_ftd.base: unknown platform 'cisco_iso' (did you mean 'cisco_ios'?)",
        ),
        (
            "cisco_iosxe: {commands: [show run]}",
            "platforms.cisco_iosxe: not a netmiko device type (did you mean",
        ),
        ("cisco_ios: [show run]", "platforms.cisco_ios: expected a mapping of platform keys"),
        (
            "cisco_ios: {secrets: ['key (x)']}",
            "platforms.cisco_ios.secrets: 'key (x)' has no group named 's'",
        ),
        ("cisco_ios: {volatile: ['(unclosed']}", "platforms.cisco_ios.volatile: '(unclosed' is not a valid"),
        (
            "cisco_ios: {enable: sometimes}",
            "platforms.cisco_ios.enable = 'sometimes': expected true or false",
        ),
        ("cisco_ios: {facts: {comand: x}}", "platforms.cisco_ios.facts.comand: unknown key (did you mean"),
        ("zyxel_os: {enable: true}", "platforms.zyxel_os.commands: expected at least one command"),
        (
            "cisco_ios: {telnet: cisco_ios_telnt}",
            "platforms.cisco_ios.telnet: not a netmiko device type (did you mean 'cisco_ios_telnet'?)",
        ),
    ],
)
def test_a_wrong_entry_is_refused_by_name(tmp_path: Path, block: str, message: str) -> None:
    before = platforms.registry()
    with pytest.raises(ConfigError) as raised:
        load(tmp_path, f"platforms:\n  {block}\n")
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)
    assert platforms.registry() is before


def test_a_bad_json_entry_from_the_environment(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"^platforms.cisco_ios \(from NETRAVEN_PLATFORMS__CISCO_IOS\): expected"
    ):
        load_settings(environ={"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_PLATFORMS__CISCO_IOS": "{no"})


def test_settings_without_site_entries_keep_the_registry_built(tmp_path: Path) -> None:
    platforms.use_site(None)
    before = platforms.registry()
    load_settings(environ={"NETRAVEN_HOME": str(tmp_path)})
    platforms.use_site({})
    assert platforms.registry() is before  # not rebuilt for every shard and settings load
