"""``netraven device remove``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("hostname")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, hostname: str, yes: bool) -> None:
    """Remove device HOSTNAME with its stored configurations (job results keep its name)."""
    from netraven.inventory import remove_device

    if not yes:
        click.confirm(f"Remove device {hostname!r} and its stored configurations?", abort=True)
    with app.sessions.begin() as session:
        remove_device(session, hostname)
    click.echo(f"Device {hostname!r} removed.")
