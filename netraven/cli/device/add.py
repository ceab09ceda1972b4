"""``netraven device add``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("hostname")
@click.option("--host", required=True, help="IP address or DNS name to connect to.")
@click.option("--platform", required=True, help="netmiko device type, such as cisco_ios.")
@click.option("--port", type=int, help="Port (default: 22, or 23 with --transport telnet).")
@click.option(
    "--transport",
    type=click.Choice(["ssh", "telnet"]),
    help="ssh or telnet (unsafe: see docs/telnet.md). Default: its tags', else ssh.",
)
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable); created if missing.")
@click.option("--description", help="Free text.")
@click.option("--disabled", is_flag=True, help="Add it disabled: jobs skip it.")
@click.option(
    "--backup-command", help="Its own command printing its config (default: its tags', its platform's)."
)
@click.pass_obj
def add(
    app: Application,
    hostname: str,
    host: str,
    platform: str,
    port: int | None,
    transport: str | None,
    tags: tuple[str, ...],
    description: str | None,
    disabled: bool,
    backup_command: str | None,
) -> None:
    """Add device HOSTNAME."""
    from netraven.inventory import add_device

    with app.sessions.begin() as session:
        device = add_device(
            session, hostname, host, platform, port, tags, description, enabled=not disabled,
            backup_command=backup_command, transport=transport,
        )  # fmt: skip
        click.echo(f"Device {device.hostname!r} added ({device.platform} at {device.host}:{device.port}).")
