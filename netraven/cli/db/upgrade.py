"""``netraven db upgrade``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("revision", default="head")
@click.pass_obj
def upgrade(app: Application, revision: str) -> None:
    """Create or migrate the schema up to REVISION (default: the newest)."""
    from netraven.db import migrate

    before = migrate.current_revision(app.engine)
    migrate.upgrade(app.engine, revision)
    after = migrate.current_revision(app.engine)
    where = app.engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"Database {where} already at {after}.")
    else:
        click.echo(f"Database {where} upgraded from {before or 'empty'} to {after}.")
