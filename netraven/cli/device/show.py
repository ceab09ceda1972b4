"""``netraven device show``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("hostname")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(app: Application, hostname: str, as_json: bool) -> None:
    """Show device HOSTNAME."""
    from netraven.cli.printable import printable
    from netraven.inventory import get_device

    with app.sessions() as session:
        info = get_device(session, hostname).to_dict()
    if as_json:
        app.print_json(info)
        return
    for key, value in info.items():
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        click.echo(f"{key + ':':<20}{'-' if value in (None, '', {}) else printable(value)}")
