"""``netraven user list``."""

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, as_json: bool) -> None:
    """List users with their roles and states (never a password or its hash)."""
    from rich.table import Table

    from netraven.cli.printable import cell
    from netraven.db.base import utcnow
    from netraven.jobs.schedules import format_time
    from netraven.users import list_users

    with app.sessions() as session:
        users = list_users(session)
    if as_json:
        app.print_json([u.to_dict() for u in users])
        return
    now = utcnow()
    table = Table("Username", "Role", "State", "Full name", "Last login")
    for u in users:
        locked = u.locked_until is not None and u.locked_until > now
        state = "ok" if u.has_password else "no password"
        state = "disabled" if not u.enabled else "locked" if locked else state
        last = format_time(u.last_login_at, app.tz) if u.last_login_at else "-"
        table.add_row(cell(u.username), str(u.role), state, cell(u.full_name or "-"), last)
    app.console.print(table)
