"""``netraven config search``."""

from __future__ import annotations

from dataclasses import asdict, replace
from itertools import groupby
from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application
from netraven.cli.config.secrets import reveal_option, shown
from netraven.cli.params import COUNT

if TYPE_CHECKING:
    from netraven.configs import Match


@click.command()
@click.argument("regex")
@click.option(
    "--context",
    type=COUNT,
    default=0,
    show_default=True,
    help="Lines shown around each match.",
)
@click.option("--device", "devices", multiple=True, metavar="HOSTNAME", help="Only this device (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@reveal_option
@click.pass_obj
def search(
    app: Application, regex: str, context: int, devices: tuple[str, ...], as_json: bool, reveal: bool
) -> None:
    """Search the latest configs for lines matching REGEX.

    REGEX is an RE2 regular expression (Python syntax without backreferences or lookarounds,
    so no pattern can make a search hang), matched against each line of every device's latest
    version. Prints grep-style lines: 'host:line:text' for matches, 'host-line-text' for context, '--'
    between separate blocks. Secrets in the lines printed are masked (REGEX sees them as stored).
    """
    from netraven.configs import queries

    with app.sessions() as session:
        matches = [_masked(m, reveal) for m in queries.search(session, regex, context, devices)]
    if as_json:
        app.print_json([asdict(m) for m in matches])
        return
    if not matches:
        click.echo("No matching lines.")
        return
    click.echo(_grep(matches, context))


def _masked(match: Match, reveal: bool) -> Match:
    return replace(
        match,
        line=shown(match.line, reveal),
        before=tuple(shown(line, reveal) for line in match.before),
        after=tuple(shown(line, reveal) for line in match.after),
    )


def _grep(matches: list[Match], context: int) -> str:
    """Each device's matches with their context, blocks of overlapping context merged into one."""
    from netraven.cli.printable import printable

    blocks: list[list[str]] = []
    for hostname, group in groupby(matches, key=lambda m: m.hostname):
        lines: dict[int, str] = {}
        for m in group:
            for number, text in enumerate((*m.before, m.line, *m.after), m.line_number - len(m.before)):
                lines.setdefault(number, f"{printable(hostname)}-{number}-{text}")
            lines[m.line_number] = f"{printable(hostname)}:{m.line_number}:{m.line}"
        previous = None
        for number in sorted(lines):
            if previous is None or number != previous + 1:
                blocks.append([])
            blocks[-1].append(lines[number])
            previous = number
    return ("\n--\n" if context else "\n").join("\n".join(block) for block in blocks)
