"""How ``netraven logs`` prints log lines: aligned, coloured lines for people, JSON lines for scripts."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from netraven.cli.printable import printable
from netraven.logs import LogEntry, entry_to_dict

LEVEL_STYLES = {"DEBUG": "dim", "INFO": "green", "WARNING": "yellow", "ERROR": "red", "CRITICAL": "bold red"}


def entry_data(entry: LogEntry, tz: tzinfo) -> dict[str, Any]:
    """One line as a JSON object (:func:`netraven.logs.entry_to_dict`), its time as ISO text in ``tz``."""
    return {**entry_to_dict(entry), "timestamp": entry.timestamp.astimezone(tz).isoformat()}


class LinePrinter:
    """Prints entries as JSON lines, or as lines whose columns stay aligned from batch to batch."""

    def __init__(self, console: Console, tz: tzinfo, as_json: bool) -> None:
        self.console = console
        self.tz = tz
        self.as_json = as_json
        self.widths = [0, 0, 0]  # run, hostname, category: they only grow, so columns never jump back

    def print(self, entries: list[LogEntry]) -> None:
        if self.as_json:
            for entry in entries:
                click.echo(json.dumps(entry_data(entry, self.tz), default=str))
            return
        cells = [(f"run {e.run_id}" if e.run_id is not None else "-", printable(e.hostname or "-"),
                  printable(e.category)) for e in entries]  # fmt: skip
        for row in cells:
            self.widths = [max(w, len(c)) for w, c in zip(self.widths, row, strict=True)]
        for entry, row in zip(entries, cells, strict=True):
            line = Text(entry.timestamp.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S %Z"), style="dim")
            line.append(f"  {entry.level:<8}", style=LEVEL_STYLES.get(entry.level, ""))
            line.append("".join(f"  {c:<{w}}" for c, w in zip(row, self.widths, strict=True)))
            line.append(f"  {printable(entry.message)}")
            self.console.print(line, soft_wrap=True)
