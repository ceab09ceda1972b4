"""``netraven config``: the stored versions of device configurations."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "history": "netraven.cli.config.history:history",
        "show": "netraven.cli.config.show:show",
        "diff": "netraven.cli.config.diff:diff",
        "search": "netraven.cli.config.search:search",
        "sync-git": "netraven.cli.config.sync_git:sync_git",
        "keep": "netraven.cli.config.keep:keep",
    },
)
def config() -> None:
    """Browse, compare and search stored device configurations; keep versions; bring git up to date."""
