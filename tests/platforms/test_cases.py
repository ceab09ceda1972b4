"""Each platform entry against realistic lines (``cases/<platform>.yaml``, taken from public configs).

Per platform: ``secrets`` (a config line and the same line as masked: the secret replaced, never the
keyword or the next word), ``volatile`` (lines ignored when comparing) and ``ordinary`` (config lines
that are neither), ``errors`` (what the device prints when a command fails). Every own secret and
volatile pattern of an entry must be shown at work by at least one of its cases.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from netraven import platforms
from netraven.configs.normalize import validate_config, volatile_rules
from netraven.exceptions import DeviceError
from netraven.redaction import MASK, Redactor

CASES = Path(__file__).parent / "cases"


@cache
def cases(platform: str) -> dict[str, Any]:
    """The platform's cases, with its ``base``'s (whose patterns it inherits) after them."""
    path = CASES / f"{platform}.yaml"
    own: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    base = cases(own["base"]) if "base" in own else {}
    return {
        key: [*own.get(key, []), *base.get(key, [])] for key in ("secrets", "volatile", "ordinary", "errors")
    }


def test_every_platform_has_cases() -> None:
    missing = [name for name in platforms.names() if not cases(name).get("secrets")]
    assert not missing, f"no secret cases for {missing}"


@pytest.mark.parametrize("platform", platforms.names())
def test_secrets_are_masked_and_nothing_else(platform: str) -> None:
    redactor = Redactor(platform=platform)
    for line, masked in cases(platform).get("secrets", []):
        assert redactor.redact(line) == masked, line
        assert Redactor().redact(line) == masked, f"{line} (every platform's patterns)"
    for line in cases(platform).get("ordinary", []):
        assert redactor.redact(line) == line


@pytest.mark.parametrize("platform", platforms.names())
def test_every_own_secret_pattern_is_shown_at_work(platform: str) -> None:
    lines = [line for line, _ in cases(platform).get("secrets", [])]
    for pattern in platforms.get(platform).secrets:
        assert any(pattern.search(line) for line in lines), f"{platform}: no case for {pattern.pattern}"


@pytest.mark.parametrize("platform", platforms.names())
def test_volatile_lines_match_and_ordinary_lines_do_not(platform: str) -> None:
    rules = volatile_rules(platform)
    own = platforms.get(platform).volatile
    volatile = cases(platform).get("volatile", [])
    for line in volatile:
        assert rules.match(line), line
    for pattern in own:
        assert any(pattern.match(line) for line in volatile), f"{platform}: no case for {pattern.pattern}"
    for line in cases(platform).get("ordinary", []):
        assert not rules.match(line), line


@pytest.mark.parametrize("platform", platforms.names())
def test_error_texts_are_command_errors(platform: str) -> None:
    """Not "implausibly short" output (a parse error), even wrapped in terminal escapes."""
    entry = platforms.get(platform)
    for text in cases(platform).get("errors", []):
        assert entry.error_line(f"{text}\n") == text.strip(), text
        with pytest.raises(DeviceError, match="device error") as raised:
            validate_config(f"\x1b[?1h\x1b={text}\r\n\x1b[K", platform, min_lines=5)
        assert raised.value.kind == "command"
    for line in cases(platform).get("ordinary", []):
        assert entry.error_line(line) is None, line


def test_masked_lines_carry_the_mask() -> None:
    for name in platforms.names():
        for line, masked in cases(name).get("secrets", []):
            assert MASK in masked and masked != line, f"{name}: {line}"


def test_no_secret_pattern_masks_the_next_line() -> None:
    """Each pattern's keyword at the end of a line, secrets and type words after it: the next line
    is left alone (only a PEM key's body, between its own markers, spans lines)."""
    from netraven.redaction import _literal

    for pattern in platforms.registry().all_secrets:
        keyword = _literal(pattern)
        if keyword is None or "PRIVATE KEY" in keyword or "\n" in keyword:
            continue
        for tail in ("", " 7", " ENC", " encrypted", " 0x1 sha"):
            text = f"x {keyword}{tail}\nnext line here\n"
            assert Redactor().redact(text).split("\n")[1] == "next line here", (pattern.pattern, tail)


def test_secret_patterns_run_only_on_texts_holding_their_keyword() -> None:
    """The Redactor's speed: a pattern with a keyword of 3+ characters is skipped, by a substring
    search, on a text without it; only a rare pattern may run on every text."""
    from netraven.redaction import _literal

    always = [p.pattern for p in platforms.registry().all_secrets if _literal(p) is None]
    assert len(always) <= 2, always
