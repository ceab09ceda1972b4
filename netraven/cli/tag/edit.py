"""``netraven tag edit``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("name")
@click.option("--description", help="New description ('' clears it).")
@click.option("--backup-command", help="Its devices' command printing their config ('' clears it).")
@click.option(
    "--transport",
    type=click.Choice(["ssh", "telnet", ""]),
    help="Reach its devices over ssh or telnet (unsafe: docs/telnet.md); '' clears it.",
)
@click.pass_obj
def edit(
    app: Application, name: str, description: str | None, backup_command: str | None, transport: str | None
) -> None:
    """Change tag NAME; options not given stay as they are."""
    from netraven.inventory import edit_tag

    if description is None and backup_command is None and transport is None:
        raise click.UsageError("nothing to change: give at least one option")
    with app.sessions.begin() as session:
        tag = edit_tag(session, name, description, backup_command, transport)
        click.echo(f"Tag {tag.name!r} updated.")
