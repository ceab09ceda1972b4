"""Text from the database made safe for a terminal: control characters escaped, no rich markup.

Names are checked on the way in (no control characters), but rows stored before that check, log
messages and device output may still hold an escape sequence or a newline that would move the
cursor or forge a line: every command prints such text through these helpers.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text


def printable(value: object) -> str:
    r"""``str(value)`` with every unprintable character escaped as Python's ``repr`` does (``\x1b``)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def cell(value: object, style: str = "") -> Text:
    """A table cell showing ``value`` as it is: escaped, never read as markup."""
    return Text(printable(value), style=style)


def markup(value: object) -> str:
    """``value`` escaped for a string that rich reads as markup."""
    return escape(printable(value))
