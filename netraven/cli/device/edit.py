"""``netraven device edit``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("hostname")
@click.option("--host", help="New IP address or DNS name.")
@click.option("--port", type=int, help="New SSH port.")
@click.option("--platform", help="New netmiko device type.")
@click.option(
    "--transport",
    type=click.Choice(["ssh", "telnet", ""]),
    help="ssh or telnet (unsafe: see docs/telnet.md); '' leaves it to the tags.",
)
@click.option("--description", help="New description ('' clears it).")
@click.option("--enable/--disable", "enabled", default=None, help="Enable or disable the device.")
@click.option("--add-tag", "add_tags", multiple=True, help="Add this tag (repeatable).")
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove this tag (repeatable).")
@click.option("--backup-command", help="Its own command printing its config ('' clears it).")
@click.pass_obj
def edit(
    app: Application,
    hostname: str,
    host: str | None,
    port: int | None,
    platform: str | None,
    transport: str | None,
    description: str | None,
    enabled: bool | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    backup_command: str | None,
) -> None:
    """Change device HOSTNAME; options not given stay as they are."""
    from netraven.inventory import edit_device

    if (host, port, platform, transport, description, enabled, backup_command) == (None,) * 7 and not (
        add_tags or remove_tags
    ):
        raise click.UsageError("nothing to change: give at least one option")
    with app.sessions.begin() as session:
        device = edit_device(
            session, hostname, host=host, port=port, platform=platform, description=description,
            enabled=enabled, add_tags=add_tags, remove_tags=remove_tags, backup_command=backup_command,
            transport=transport,
        )  # fmt: skip
        click.echo(f"Device {device.hostname!r} updated.")
