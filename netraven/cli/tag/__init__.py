"""``netraven tag``: named groups of devices."""

import click

from netraven.cli.tag.add import add
from netraven.cli.tag.list import list_
from netraven.cli.tag.remove import remove


@click.group()
def tag() -> None:
    """Add, list and remove tags (devices get tags with 'netraven device add/edit --tag')."""


for command in (add, list_, remove):
    tag.add_command(command)
