"""``netraven credential remove``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, name: str, yes: bool) -> None:
    """Remove credential NAME and its bindings."""
    from netraven.credentials.store import remove_credential

    if not yes:
        click.confirm(f"Remove credential {name!r}?", abort=True)
    with app.sessions.begin() as session:
        remove_credential(session, name)
    click.echo(f"Credential {name!r} removed.")
