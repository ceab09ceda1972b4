"""docs/platforms.md is what ``python -m netraven.platforms.doc`` prints from the built-in registry."""

from pathlib import Path

from netraven.platforms import doc, names

PAGE = Path(__file__).resolve().parents[2] / "docs" / "platforms.md"


def test_the_page_is_in_sync_with_the_registry() -> None:
    assert PAGE.read_text(encoding="utf-8") == doc.render(), (
        "docs/platforms.md is out of date: python -m netraven.platforms.doc > docs/platforms.md"
    )


def test_every_platform_has_a_row() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert all(f"| `{name}`" in text for name in names())
    assert len(names()) >= 30
