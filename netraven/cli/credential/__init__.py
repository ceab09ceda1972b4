"""``netraven credential``: logins for devices, encrypted at rest."""

import click

from netraven.cli.credential.add import add
from netraven.cli.credential.list import list_
from netraven.cli.credential.remove import remove


@click.group()
def credential() -> None:
    """Add, list and remove device credentials (secrets are never shown)."""


credential.add_command(add)
credential.add_command(list_)
credential.add_command(remove)
