"""Terminal residue is removed from outputs: escape sequences, backspace overstrikes."""

from __future__ import annotations

from netraven.platforms.clean import clean_output


def test_escape_sequences_are_removed() -> None:
    text = "\x1b[1;32mhostname r1\x1b[0m\n\x1b]0;r1: admin\x07interface x\n\x1b[?25h\x1b[24;1Hend\x1b[K"
    assert clean_output(text) == "hostname r1\ninterface x\nend"


def test_procurve_next_line_escape_is_a_line_break() -> None:
    assert clean_output("hostname sw1\x1bE\x1b[24;1Hvlan 1") == "hostname sw1\nvlan 1"


def test_backspaces_undo_what_they_follow() -> None:
    pager = "--More--" + "\b" * 8 + " " * 8 + "\b" * 8
    assert clean_output(f"interface a\n{pager}interface b\n") == "interface a\ninterface b\n"
    assert clean_output("\b\bab\bc") == "ac"


def test_clean_text_is_kept_as_it_is() -> None:
    text = "hostname r1\r\n description 50% [x]\n"
    assert clean_output(text) is text
