"""``netraven user passwd``."""

import click

from netraven.cli.application import Application
from netraven.cli.prompts import read_secret
from netraven.cli.user.options import password_stdin


@click.command()
@click.argument("name")
@password_stdin
@click.pass_obj
def passwd(app: Application, name: str, password_stdin: bool) -> None:
    """Set user NAME's password (prompted twice, never echoed; or read from standard input).

    This also ends a lockout and the user's browser sessions.
    """
    from netraven.users import set_password

    password = read_secret("New password", confirm=True, from_stdin=password_stdin) or ""
    with app.sessions.begin() as session:
        set_password(session, app.settings, name, password)
    click.echo(f"Password of {name!r} changed.")
