"""``netraven device list``."""

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only devices with this tag (repeatable: all of them).")
@click.option("--platform", help="Only devices of this netmiko device type.")
@click.option("--enabled/--disabled", default=None, help="Only enabled (or disabled) devices.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many devices.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many devices first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(
    app: Application,
    tags: tuple[str, ...],
    platform: str | None,
    enabled: bool | None,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List devices by hostname, printed as they are read (--limit and --offset page through them)."""
    from netraven.cli.streaming import StreamedTable, print_json_array
    from netraven.inventory.streaming import stream_devices

    with app.connect() as connection:
        devices = stream_devices(connection, tags, platform, enabled, limit, offset)
        if as_json:
            print_json_array(devices)
            return
        table = StreamedTable("Hostname", "Host", "Port", "Platform", "Enabled", "Tags", "Description")
        for d in devices:
            table.add_row(d["hostname"], d["host"], d["port"], d["platform"], "yes" if d["enabled"] else "no",
                          ", ".join(d["tags"]), d["description"] or "")  # fmt: skip
        count = table.close()
    more = f" (from offset {offset})" if offset else ""
    click.echo(f"{count} device(s){more}")
