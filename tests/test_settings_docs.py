"""docs/settings.md documents every setting with its default."""

import dataclasses
from pathlib import Path

from netraven.settings import Settings

DOC = (Path(__file__).parent.parent / "docs" / "settings.md").read_text(encoding="utf-8")


def shown(value: object) -> str:
    if value in ("", (), {}):
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def test_every_setting_is_documented_with_its_default() -> None:
    rows = {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in DOC.splitlines()
        if line.startswith("| `")
    }
    expected = {}
    for section in dataclasses.fields(Settings):
        if section.name in ("home", "platforms"):  # platforms: docs/platforms.md
            continue
        for field in dataclasses.fields(section.default_factory()):  # type: ignore[misc]
            expected[f"`{section.name}.{field.name}`"] = shown(getattr(section.default_factory(), field.name))  # type: ignore[misc]
    assert len(expected) > 25
    assert {key: rows.get(key) for key in expected} == expected
