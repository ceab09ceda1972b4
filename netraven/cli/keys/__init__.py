"""``netraven keys``: the encryption keys of stored credentials."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "rotate": "netraven.cli.keys.rotate:rotate",
    },
)
def keys() -> None:
    """Manage the keys that encrypt credentials."""
