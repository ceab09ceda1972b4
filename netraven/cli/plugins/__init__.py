"""``netraven plugins``: what the plugin manager loaded."""

import click

from netraven.cli.plugins.list import list_plugins


@click.group()
def plugins() -> None:
    """Inspect plugins and the job types they provide."""


plugins.add_command(list_plugins)
