"""``netraven tag add``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("name")
@click.option("--type", "type_", default="custom", show_default=True, help="Kind: site, role, vendor...")
@click.option("--description", help="Free text.")
@click.option("--backup-command", help="Its devices' command printing their config (over their platform's).")
@click.option(
    "--transport",
    type=click.Choice(["ssh", "telnet"]),
    help="Reach its devices (those without a transport of their own) over ssh or telnet (unsafe).",
)
@click.pass_obj
def add(
    app: Application, name: str, type_: str, description: str | None, backup_command: str | None,
    transport: str | None,
) -> None:  # fmt: skip
    """Add tag NAME."""
    from netraven.inventory import add_tag

    with app.sessions.begin() as session:
        tag = add_tag(session, name, type_, description, backup_command, transport)
        click.echo(f"Tag {tag.name!r} added (type {tag.type}).")
