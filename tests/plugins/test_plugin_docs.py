"""docs/plugins.md lists every field of every object a hook or a job type's method receives."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from pathlib import Path

import pytest

from netraven import hookspecs, jobs
from netraven.jobs import JobType, base

PLUGINS_MD = Path(__file__).parents[2] / "docs" / "plugins.md"


def received_classes() -> set[type]:
    """NetRaven's classes in the annotations of every hookspec and of JobType's per-run methods."""
    namespace = {**vars(base), **vars(jobs)}
    functions = [
        obj for name, obj in vars(hookspecs).items() if name.startswith("netraven_") and callable(obj)
    ]
    functions += [JobType.prepare, JobType.handle_result, JobType.finish]
    found: set[type] = set()
    for function in functions:
        for hint in typing.get_type_hints(function, globalns=namespace).values():
            for kind in (hint, *typing.get_args(hint)):
                if inspect.isclass(kind) and kind.__module__.startswith("netraven.jobs"):
                    found.add(kind)
    return found


def documented_fields() -> dict[str, list[str]]:
    """``{class name: the first column of its table}`` for each ``### `Name` `` section."""
    sections = re.split(r"^### `(\w+)`\n", PLUGINS_MD.read_text(), flags=re.MULTILINE)[1:]
    return {
        name: re.findall(r"^\| `(\w+)` \|", body.split("\n## ")[0], re.MULTILINE)
        for name, body in zip(sections[::2], sections[1::2], strict=True)
    }


def public_fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")]


CLASSES = sorted(received_classes(), key=lambda cls: cls.__name__)


def test_the_received_objects_are_the_expected_ones() -> None:
    names = {cls.__name__ for cls in CLASSES}
    assert names == {
        "RunInfo",
        "HostOutcome",
        "RunSummary",
        "DeviceInfo",
        "RunContext",
        "RunServices",
        "HostContext",
    }


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_public_field_has_a_row_in_its_table(cls: type) -> None:
    tables = documented_fields()
    assert cls.__name__ in tables, f"docs/plugins.md has no '### `{cls.__name__}`' section"
    assert tables[cls.__name__] == public_fields(cls), f"{cls.__name__}: rows and fields differ (or order)"
    section = PLUGINS_MD.read_text().split(f"### `{cls.__name__}`")[1].split("\n## ")[0].split("\n### ")[0]
    for name, _ in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and name in vars(cls):
            assert f"`{name}(" in section, f"{cls.__name__}.{name}() is not described"
