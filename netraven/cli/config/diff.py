"""``netraven config diff``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application
from netraven.cli.config.secrets import reveal_option, shown
from netraven.cli.params import COUNT, ID

if TYPE_CHECKING:
    from rich.text import Text

_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


@click.command()
@click.argument("hostname")
@click.argument("v1", type=ID, required=False)
@click.argument("v2", type=ID, required=False)
@click.option(
    "--context",
    type=COUNT,
    default=3,
    show_default=True,
    help="Unchanged lines around changes.",
)
@reveal_option
@click.pass_obj
def diff(app: Application, hostname: str, v1: int | None, v2: int | None, context: int, reveal: bool) -> None:
    """Show what changed in HOSTNAME's config, as a unified diff, its secrets masked.

    Without versions: the previous version against the latest; with V1 alone: V1 against the latest.
    Volatile lines (timestamps, counters) are left out. Exits 0 whether or not anything differs.
    """
    from netraven.configs import queries

    patterns = app.settings.backup.volatile_patterns
    with app.sessions() as session:
        if v1 is None and len(newest := queries.history(session, hostname, limit=2)) == 1:
            click.echo(f"{hostname} has a single stored version ({newest[0].version}): nothing to compare.")
            return
        text = shown(queries.diff(session, hostname, v1, v2, patterns, context), reveal)
    if not text:
        click.echo("No differences (volatile lines left out).")
    elif app.console.is_terminal:
        app.console.print(_coloured(text), end="", soft_wrap=True)
    else:
        click.echo(text, nl=False)


def _coloured(text: str) -> Text:
    from rich.text import Text

    out = Text()
    for line in text.splitlines(keepends=True):
        out.append(line, style=next((style for prefix, style in _STYLES if line.startswith(prefix)), ""))
    return out
