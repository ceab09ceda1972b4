"""``netraven logs``: job log lines, filtered or followed, and connection transcripts.

``netraven logs [OPTIONS]`` is short for ``netraven logs list [OPTIONS]``: the group falls back to
``list`` when its first argument is not one of its verbs or a request for help.
"""

from __future__ import annotations

import click

from netraven.cli.lazy import LazyGroup


class LogsGroup(LazyGroup):
    """A group that lists when it is given no verb."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["list", *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=LogsGroup,
    lazy={
        "list": "netraven.cli.logs.list:list_",
        "connection": "netraven.cli.logs.connection:connection",
    },
)
def logs() -> None:
    """Show job log lines (netraven logs [OPTIONS], short for netraven logs list), or the
    transcript of one host's connection in a run (netraven logs connection).

    \b
    Examples:
      netraven logs --run 3 --level warning
      netraven logs --device r1 --since 2d
      netraven logs --follow --json
      netraven logs connection --run 3 --device r1
    """
