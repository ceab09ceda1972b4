"""Terminal residue removed from a command's output before it is checked or stored.

Some platforms wrap every output in escape sequences (colours, cursor moves, window titles) or erase
a pager prompt with backspaces; none of it is part of the configuration.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and the two-byte escapes (ESC 7, ESC =,
# charset selection ESC ( B). ESC E ("next line", ProCurve) is a line break.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()#][0-9A-Za-z]"
    r"|\x1b[=>78DHMNOPZc\\^_]"
)


def clean_output(text: str) -> str:
    """``text`` without terminal escape sequences and with backspaces applied (overstrikes undone)."""
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text.replace("\x1bE", "\n"))
    if "\b" in text:
        text = "\n".join(_backspaced(line) if "\b" in line else line for line in text.split("\n"))
    return text


def _backspaced(line: str) -> str:
    kept: list[str] = []
    for char in line:
        if char == "\b":
            if kept:
                kept.pop()
        else:
            kept.append(char)
    return "".join(kept)
