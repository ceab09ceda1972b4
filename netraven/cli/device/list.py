"""``netraven device list``."""

import click

from netraven.cli.application import Application
from netraven.cli.printable import cell


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only devices with this tag (repeatable: all of them).")
@click.option("--platform", help="Only devices of this netmiko device type.")
@click.option("--enabled/--disabled", default=None, help="Only enabled (or disabled) devices.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(
    app: Application, tags: tuple[str, ...], platform: str | None, enabled: bool | None, as_json: bool
) -> None:
    """List devices by hostname."""
    from rich.table import Table

    from netraven.inventory import list_devices

    with app.sessions() as session:
        rows = [device.to_dict() for device in list_devices(session, tags, platform, enabled)]
    if as_json:
        app.print_json(rows)
        return
    table = Table("Hostname", "Host", "Port", "Platform", "Enabled", "Tags", "Description")
    for r in rows:
        enabled_text = "yes" if r["enabled"] else "no"
        table.add_row(cell(r["hostname"]), cell(r["host"]), str(r["port"]), cell(r["platform"]), enabled_text,
                      cell(", ".join(r["tags"])), cell(r["description"]))  # fmt: skip
    app.console.print(table)
    app.console.print(f"{len(rows)} device(s)")
