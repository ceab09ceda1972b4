"""``netraven db downgrade``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def downgrade(app: Application, revision: str, yes: bool) -> None:
    """Migrate the schema down to REVISION ('base' drops every NetRaven table and its data)."""
    from netraven.db import migrate

    if revision == "base" and not yes:
        click.confirm("This deletes every NetRaven table and all its data. Continue?", abort=True)
    before = migrate.current_revision(app.engine)
    migrate.downgrade(app.engine, revision)
    after = migrate.current_revision(app.engine)
    click.echo(f"Database downgraded from {before or 'empty'} to {after or 'base (empty)'}.")
