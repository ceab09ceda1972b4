"""``netraven credential list``."""

from typing import Any

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, as_json: bool) -> None:
    """List credentials with their bindings and success counters (no secrets)."""
    from rich.table import Table

    from netraven.cli.printable import cell
    from netraven.credentials.store import list_credentials

    with app.sessions() as session:
        rows: list[dict[str, Any]] = [
            {
                "name": c.name,
                "username": c.username,
                "priority": c.priority,
                "has_enable_secret": c.enable_secret_encrypted is not None,
                "tags": sorted(t.name for t in c.tags),
                "devices": sorted(d.hostname for d in c.devices),
                "success_count": c.success_count,
                "failure_count": c.failure_count,
                "success_rate": round(c.success_rate, 3),
                "last_used": c.last_used,
            }
            for c in list_credentials(session)
        ]
    if as_json:
        app.print_json(rows)
        return
    table = Table("Name", "Username", "Priority", "Tags", "Devices", "OK", "Failed", "Last used")
    for r in rows:
        table.add_row(
            cell(r["name"]),
            cell(r["username"]),
            str(r["priority"]),
            cell(", ".join(r["tags"])),
            cell(", ".join(r["devices"])),
            str(r["success_count"]),
            str(r["failure_count"]),
            str(r["last_used"] or "-"),
        )
    app.console.print(table)
