"""``netraven db``: create and migrate the database schema."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "upgrade": "netraven.cli.db.upgrade:upgrade",
        "downgrade": "netraven.cli.db.downgrade:downgrade",
        "current": "netraven.cli.db.current:current",
    },
)
def db() -> None:
    """Create, migrate and inspect the database schema."""
