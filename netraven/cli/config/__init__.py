"""``netraven config``: the stored versions of device configurations."""

import click

from netraven.cli.config.diff import diff
from netraven.cli.config.history import history
from netraven.cli.config.search import search
from netraven.cli.config.show import show


@click.group()
def config() -> None:
    """Browse, compare and search stored device configurations."""


for command in (history, show, diff, search):
    config.add_command(command)
