"""``netraven tag list``."""

from typing import Any

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, as_json: bool) -> None:
    """List tags with the number of devices carrying each."""
    from rich.table import Table

    from netraven.cli.printable import cell
    from netraven.inventory import list_tags

    with app.sessions() as session:
        rows: list[dict[str, Any]] = [
            {"name": tag.name, "type": tag.type, "description": tag.description, "devices": devices}
            for tag, devices in list_tags(session)
        ]
    if as_json:
        app.print_json(rows)
        return
    table = Table("Name", "Type", "Devices", "Description")
    for r in rows:
        table.add_row(cell(r["name"]), cell(r["type"]), str(r["devices"]), cell(r["description"]))
    app.console.print(table)
