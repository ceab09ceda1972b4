"""Output for thousands of rows, printed as they arrive rather than built first.

A rich ``Table`` measures every row before printing the first (about 2 ms a row: 25 s for 10,000
devices); :class:`StreamedTable` prints a page at a time in aligned columns whose widths only grow.
:func:`print_json_array` writes a JSON array one row (one line) at a time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import click
from rich.cells import cell_len

from netraven.cli.printable import printable

PAGE = 500


class StreamedTable:
    """Rows printed a page at a time under a header; every cell escaped (see :mod:`.printable`)."""

    def __init__(self, *headers: str, page: int = PAGE) -> None:
        self.headers = headers
        self.widths = [_width(h) for h in headers]
        self.page = page
        self.pending: list[list[str]] = []
        self.count = 0

    def add_row(self, *cells: object) -> None:
        self.pending.append([printable(cell) for cell in cells])
        if len(self.pending) >= self.page:
            self.flush()

    def flush(self) -> None:
        if self.count == 0 and self.pending:
            self._measure()
            header = self._line(self.headers)
            click.echo(click.style(header, bold=True) if _tty() else header)
            click.echo(self._line(["-" * width for width in self.widths]))
        self._measure()
        click.echo("\n".join(self._line(row) for row in self.pending), nl=bool(self.pending))
        self.count += len(self.pending)
        self.pending = []

    def close(self) -> int:
        """Print what is left; the number of rows printed."""
        self.flush()
        return self.count

    def _measure(self) -> None:
        for row in self.pending:
            self.widths = [max(width, _width(cell)) for width, cell in zip(self.widths, row, strict=True)]

    def _line(self, cells: Iterable[str]) -> str:
        pairs = zip(cells, self.widths, strict=True)
        return "  ".join(cell + " " * (width - _width(cell)) for cell, width in pairs).rstrip()


def print_json_array(rows: Iterable[Any]) -> None:
    """``rows`` as a JSON array, a row a line, each written as soon as it comes.

    Rows are compact: ``indent`` would switch ``json`` to its pure-Python encoder, 5x slower."""
    click.echo("[", nl=False)
    first = True
    for row in rows:
        click.echo(("\n" if first else ",\n") + json.dumps(row, default=str), nl=False)
        first = False
    click.echo("]" if first else "\n]")


def _width(text: str) -> int:
    """Terminal columns of ``text`` (wide CJK characters take two)."""
    return len(text) if text.isascii() else cell_len(text)


def _tty() -> bool:
    return sys.stdout.isatty()
