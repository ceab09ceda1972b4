"""``netraven token revoke``."""

import click

from netraven.cli.application import Application
from netraven.cli.params import ID


@click.command()
@click.argument("token_id", metavar="ID", type=ID)
@click.pass_obj
def revoke(app: Application, token_id: int) -> None:
    """Revoke API token ID (see 'netraven token list'): it stops working at once."""
    from netraven.users import revoke_api_token

    with app.sessions.begin() as session:
        view = revoke_api_token(session, app.principal, token_id)
    click.echo(f"Token {view.id} {view.name!r} of {view.user} revoked.")
