"""``netraven credential add``."""

import click

from netraven.cli.application import Application
from netraven.cli.prompts import read_secret


@click.command()
@click.argument("name")
@click.option("--username", "-u", required=True, help="Login username.")
@click.option(
    "--priority",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Lower numbers are tried first.",
)
@click.option("--tag", "tags", multiple=True, help="Use on devices with this tag (repeatable).")
@click.option("--device", "devices", multiple=True, help="Use on this device (repeatable).")
@click.option("--description", help="Free text.")
@click.option("--no-enable-secret", is_flag=True, help="Do not prompt for an enable secret.")
@click.pass_obj
def add(
    app: Application,
    name: str,
    username: str,
    priority: int,
    tags: tuple[str, ...],
    devices: tuple[str, ...],
    description: str | None,
    no_enable_secret: bool,
) -> None:
    """Add credential NAME; the password and enable secret are prompted for, never echoed.

    Without a terminal they are read from standard input: the password on the first line, the
    enable secret (possibly empty) on the second.
    """
    from netraven.credentials.store import add_credential, vault_for_new_credentials

    password = read_secret("Password", confirm=True) or ""
    secret = None if no_enable_secret else read_secret("Enable secret (empty for none)", confirm=False)
    with app.sessions.begin() as session:
        vault = vault_for_new_credentials(session, app.settings)
        cred = add_credential(session, vault, name, username, password, secret, priority, tags, devices,
                              description)  # fmt: skip
        click.echo(f"Credential {cred.name!r} added (user {cred.username}, priority {cred.priority}).")
