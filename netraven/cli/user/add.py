"""``netraven user add``."""

import click

from netraven.cli.application import Application
from netraven.cli.prompts import read_secret
from netraven.cli.user.options import ROLES, password_stdin


@click.command()
@click.argument("name")
@click.option("--role", type=ROLES, default="viewer", show_default=True, help="What the user may do.")
@click.option("--full-name", help="The person's name, for display.")
@password_stdin
@click.pass_obj
def add(app: Application, name: str, role: str, full_name: str | None, password_stdin: bool) -> None:
    """Add user NAME; the password is prompted for twice, never echoed (at least
    web.min_password_length characters). Without a terminal it is read from standard input."""
    from netraven.users import add_user

    password = read_secret("Password", confirm=True, from_stdin=password_stdin) or ""
    with app.sessions.begin() as session:
        user = add_user(session, app.settings, name, password, role, full_name)
    click.echo(f"User {user.username!r} added ({user.role}).")
