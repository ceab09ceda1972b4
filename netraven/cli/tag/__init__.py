"""``netraven tag``: named groups of devices."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "add": "netraven.cli.tag.add:add",
        "edit": "netraven.cli.tag.edit:edit",
        "list": "netraven.cli.tag.list:list_",
        "remove": "netraven.cli.tag.remove:remove",
    },
)
def tag() -> None:
    """Add, edit, list and remove tags (devices get tags with 'netraven device add/edit --tag')."""
