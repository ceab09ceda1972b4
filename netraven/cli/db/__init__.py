"""``netraven db``: create and migrate the database schema."""

import click

from netraven.cli.db.current import current
from netraven.cli.db.downgrade import downgrade
from netraven.cli.db.upgrade import upgrade


@click.group()
def db() -> None:
    """Create, migrate and inspect the database schema."""


db.add_command(upgrade)
db.add_command(downgrade)
db.add_command(current)
