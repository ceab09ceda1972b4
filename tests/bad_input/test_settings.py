"""Every setting, found by walking the Settings dataclasses, given wrong types, nan, inf, negative
and huge numbers, control characters and binary junk, from the YAML file and from the environment:
each is refused at load in one line naming the key (defect 12 of #13); so are a binary settings
file and an unusable data directory (defect 9)."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from netraven.cli import main
from netraven.exceptions import ConfigError
from netraven.settings import Settings, load_settings
from tests.bad_input.conftest import assert_one_line_error

JUNK = "\x00\xff\x1b[2J"
NUMBER_PROBES = [
    float("nan"),
    float("inf"),
    float("-inf"),
    -1,
    2**63,
    1e300,
    "abc",
    [1],
    {"a": 1},
    True,
    JUNK,
]
TEXT_PROBES = [JUNK, "a\x1b[31mb", "line\nbreak", [1], {"a": 1}, True]
PROBES: dict[Any, list[Any]] = {
    int: NUMBER_PROBES,
    float: NUMBER_PROBES,
    str: TEXT_PROBES,
    Path: TEXT_PROBES,
    bool: ["maybe", 2, [1], JUNK],
    tuple: [{"a": 1}, 5, [JUNK]],
    dict: [[1], "x", 5],
    typing.Literal: ["nope", [1], JUNK],
}
# Zero is wrong where a setting counts what must exist (0 workers ran nothing and failed later).
AT_LEAST_ONE = ("runner.num_workers", "huey.workers", "connection.retry_attempts", "scheduler.tick_seconds",
                "connection.timeout", "connection.read_timeout", "database.pool_size")  # fmt: skip


def _settings_keys() -> list[tuple[str, Any]]:
    keys = []
    for section in dataclasses.fields(Settings):
        if section.name in ("home", "platforms"):  # platforms: test_platforms_refused below
            continue
        hints = typing.get_type_hints(typing.get_type_hints(Settings)[section.name])
        keys += [(f"{section.name}.{name}", hint) for name, hint in hints.items()]
    return keys


def _cases(environment: bool = False) -> list[Any]:
    """(key, probe) pairs; for the environment, only probes it can hold (text, not '5' for a list)."""
    cases = []
    for key, hint in _settings_keys():
        kind = typing.get_origin(hint) or hint
        probes = [*PROBES[kind], *([0] if key in AT_LEAST_ONE else [])]
        if environment:
            probes = [p for p in probes if not isinstance(p, (list, dict, bool)) and (p != 5 or kind is dict)]
        cases += [pytest.param(key, probe, id=f"{key}-{probe!r}"[:80]) for probe in probes]
    return cases


def test_every_setting_has_probes() -> None:
    keys = _settings_keys()
    assert len(keys) > 25 and all((typing.get_origin(h) or h) in PROBES for _, h in keys)


def _check(exc: ConfigError, key: str) -> None:
    message = str(exc)
    assert message.startswith(key) and "\n" not in message and message.isprintable(), message
    assert len(message) < 300, message


@pytest.mark.parametrize(("key", "value"), _cases())
def test_refused_from_the_file(tmp_path: Path, key: str, value: object) -> None:
    section, name = key.split(".")
    path = tmp_path / "netraven.yaml"
    path.write_text(yaml.safe_dump({section: {name: value}}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={"NETRAVEN_HOME": str(tmp_path)})
    _check(caught.value, key)


@pytest.mark.parametrize(("key", "value"), _cases(environment=True))
def test_refused_from_the_environment(tmp_path: Path, key: str, value: object) -> None:
    section, name = key.split(".")
    variable = f"NETRAVEN_{section.upper()}__{name.upper()}"
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"NETRAVEN_HOME": str(tmp_path), variable: str(value)})
    _check(caught.value, key)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ([1], "platforms"),
        ("x", "platforms"),
        ({"cisco_ios": JUNK}, "platforms.cisco_ios"),
        ({"cisco_ios": {"commands": [JUNK]}}, "platforms.cisco_ios.commands"),
        ({"cisco_ios": {"secrets": [JUNK]}}, "platforms.cisco_ios.secrets"),
        ({"cisco_ios": {"enable": JUNK}}, "platforms.cisco_ios.enable"),
        ({JUNK: {"commands": ["show run"]}}, "platforms."),
    ],
)
def test_platforms_refused(tmp_path: Path, value: object, key: str) -> None:
    path = tmp_path / "netraven.yaml"
    path.write_text(yaml.safe_dump({"platforms": value}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={"NETRAVEN_HOME": str(tmp_path)})
    _check(caught.value, key)


def test_binary_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "netraven.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={"NETRAVEN_HOME": str(tmp_path)})
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert_one_line_error(CliRunner().invoke(main, ["--config", str(path), "device", "list"]), str(path))


@pytest.mark.parametrize("home", ["file", "below a file", "/sys/netraven-home"])
def test_unusable_home(tmp_path: Path, home: str) -> None:
    (tmp_path / "file").write_text("not a directory")
    path = {"file": tmp_path / "file", "below a file": tmp_path / "file" / "home"}.get(home, Path(home))
    result = CliRunner().invoke(main, ["device", "list"], env={"NETRAVEN_HOME": str(path)})
    assert_one_line_error(result, str(path))
