"""``netraven token create``."""

from datetime import timedelta

import click

from netraven.cli.application import Application
from netraven.cli.user.options import ROLES


@click.command()
@click.option("--user", "username", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for (e.g. backup-script).")
@click.option("--role", type=ROLES, help="The token's role, at most the user's. Default: the user's role.")
@click.option("--expires", type=click.IntRange(1, 36_500), metavar="DAYS", help="Expire after DAYS days.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the secret, once).")
@click.pass_obj
def create(
    app: Application, username: str, name: str, role: str | None, expires: int | None, as_json: bool
) -> None:
    """Create a token for --user and print it once: it cannot be shown again."""
    from netraven.db.base import utcnow
    from netraven.users import create_api_token

    expires_at = utcnow() + timedelta(days=expires) if expires else None
    with app.sessions.begin() as session:
        view, secret = create_api_token(session, app.principal, name, role, expires_at, user=username)
    if as_json:
        app.print_json({**view.to_dict(), "token": secret})
        return
    until = f", expires {view.expires_at:%Y-%m-%d %H:%M} UTC" if view.expires_at else ""
    click.echo(f"Token {view.id} {view.name!r} created for {view.user} ({view.role}{until}).", err=True)
    click.echo("Copy it now, it is not shown again:", err=True)
    click.echo(secret)
