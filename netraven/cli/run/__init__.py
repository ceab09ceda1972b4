"""``netraven run``: run a job type now, in the foreground; ``netraven run show`` shows a past run.

``netraven run TYPE ...`` is short for ``netraven run start TYPE ...``: the group falls back to
``start`` when its first argument is not one of its verbs (so no job type can be called ``show`` or
``cancel``).
"""

from __future__ import annotations

import click

from netraven.cli.lazy import LazyGroup


class RunGroup(LazyGroup):
    """A group whose unknown first word is a job type for ``start``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=RunGroup,
    lazy={
        "start": "netraven.cli.run.start:start",
        "show": "netraven.cli.run.show:show",
        "cancel": "netraven.cli.run.cancel:cancel",
        "replay-unsaved": "netraven.cli.run.replay:replay_unsaved",
    },
)
def run() -> None:
    """Run a job type now (netraven run TYPE --device/--tag/--all); show, cancel, replay unsaved results.

    \b
    Exit status of a run: 0 every host succeeded, 3 some host failed or was skipped (or the run
    was cancelled), 4 the targets matched no enabled device (nothing was done), 1 the run could
    not start (bad input, one line on stderr).
    """
