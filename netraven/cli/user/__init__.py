"""``netraven user``: people who log in to the web API, and their roles."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "add": "netraven.cli.user.add:add",
        "edit": "netraven.cli.user.edit:edit",
        "list": "netraven.cli.user.list:list_",
        "passwd": "netraven.cli.user.passwd:passwd",
        "remove": "netraven.cli.user.remove:remove",
    },
)
def user() -> None:
    """Add, list, edit and remove users of the web API, and set their passwords.

    Roles: viewer (reads everything but secrets), operator (also runs jobs, manages devices,
    tags and jobs), admin (also credentials, keys and users). Create the first admin here:
    there is no default user or password.
    """
