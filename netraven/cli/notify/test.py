"""``netraven notify test``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("channel")
@click.pass_obj
def test(app: Application, channel: str) -> None:
    """Send a test message to CHANNEL now, in one attempt; exit 1 with the reason if it fails."""
    from netraven_notify.probe import send_test

    delivery_id = send_test(app.settings, app.sessions, channel)
    click.echo(f"Test message sent to {channel} (delivery {delivery_id}).")
