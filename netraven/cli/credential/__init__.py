"""``netraven credential``: logins for devices, encrypted at rest."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "add": "netraven.cli.credential.add:add",
        "list": "netraven.cli.credential.list:list_",
        "remove": "netraven.cli.credential.remove:remove",
    },
)
def credential() -> None:
    """Add, list and remove device credentials (secrets are never shown)."""
