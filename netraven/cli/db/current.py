"""``netraven db current``."""

import click

from netraven.cli.application import Application


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def current(app: Application, as_json: bool) -> None:
    """Show the database, its schema revision and whether it is up to date."""
    from netraven.db import migrate

    current_rev, head = migrate.current_revision(app.engine), migrate.head_revision()
    info = {
        "database": app.engine.url.render_as_string(hide_password=True),
        "current": current_rev,
        "head": head,
        "up_to_date": current_rev == head,
    }
    if as_json:
        app.print_json(info)
        return
    click.echo(f"Database: {info['database']}")
    click.echo(f"Revision: {current_rev or 'none (empty)'}")
    if current_rev != head:
        click.echo(f"Behind {head}: run 'netraven db upgrade'")
    else:
        click.echo("Schema is up to date.")
