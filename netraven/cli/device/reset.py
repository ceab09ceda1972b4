"""``netraven device reset``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("hostname")
@click.pass_obj
def reset(app: Application, hostname: str) -> None:
    """Close the circuit of device HOSTNAME: the next backup or command run tries it again."""
    from netraven.inventory import reset_circuit

    with app.sessions.begin() as session:
        before = reset_circuit(session, hostname)
    click.echo(f"Device {hostname!r}: circuit closed (was {before.replace('_', '-')}).")
