"""``netraven user remove``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, name: str, yes: bool) -> None:
    """Remove user NAME with their API tokens and sessions (runs and jobs keep the name)."""
    from netraven.users import remove_user

    if not yes:
        click.confirm(f"Remove user {name!r}?", abort=True)
    with app.sessions.begin() as session:
        remove_user(session, name)
    click.echo(f"User {name!r} removed.")
