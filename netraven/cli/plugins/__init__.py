"""``netraven plugins``: what the plugin manager loaded."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "list": "netraven.cli.plugins.list:list_plugins",
    },
)
def plugins() -> None:
    """Inspect plugins and the job types they provide."""
