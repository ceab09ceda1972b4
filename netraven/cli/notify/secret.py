"""``netraven notify secret set|list|remove``: secrets channels name (tokens, SMTP passwords)."""

import click

from netraven.cli.application import Application
from netraven.cli.prompts import read_secret


@click.group()
def secret() -> None:
    """Secrets of notification channels, encrypted with the credentials' keys."""


@secret.command("set")
@click.argument("name")
@click.pass_obj
def set_(app: Application, name: str) -> None:
    """Store secret NAME (prompted twice, never echoed; without a terminal: the first line of stdin).

    Settings refer to it by name: url_secret, hmac_secret, secret_headers, password_secret.
    """
    from netraven.credentials.named import set_secret

    value = read_secret("Secret value", confirm=True) or ""
    with app.sessions.begin() as session:
        created = set_secret(session, app.settings, name, value)
    click.echo(f"Secret {name!r} {'stored' if created else 'replaced'}.")


@secret.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of names.")
@click.pass_obj
def list_(app: Application, as_json: bool) -> None:
    """List the stored secrets' names (never a value)."""
    from netraven.credentials.named import secret_names

    with app.sessions() as session:
        names = secret_names(session)
    if as_json:
        app.print_json(names)
    else:
        click.echo("\n".join(names) if names else "No secrets stored.")


@secret.command()
@click.argument("name")
@click.pass_obj
def remove(app: Application, name: str) -> None:
    """Remove secret NAME."""
    from netraven.credentials.named import remove_secret

    with app.sessions.begin() as session:
        remove_secret(session, name)
    click.echo(f"Secret {name!r} removed.")
