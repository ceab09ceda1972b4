"""``netraven keys``: the encryption keys of stored credentials."""

import click

from netraven.cli.keys.rotate import rotate


@click.group()
def keys() -> None:
    """Manage the keys that encrypt credentials."""


keys.add_command(rotate)
