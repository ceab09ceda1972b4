"""``netraven token list``."""

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--user", "username", help="Only this user's tokens.")
@click.option("--all", "include_revoked", is_flag=True, help="Revoked tokens too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(app: Application, username: str | None, include_revoked: bool, as_json: bool) -> None:
    """List API tokens: id, owner, name, role, prefix, dates (never a secret)."""
    from rich.table import Table

    from netraven.cli.printable import cell
    from netraven.jobs.schedules import format_time
    from netraven.users import list_api_tokens

    with app.sessions() as session:
        tokens = list_api_tokens(session, app.principal, user=username, include_revoked=include_revoked)
    if as_json:
        app.print_json([t.to_dict() for t in tokens])
        return

    def when(moment: object) -> str:
        return format_time(moment, app.tz) if moment else "-"  # type: ignore[arg-type]

    table = Table("Id", "User", "Name", "Role", "Prefix", "Created", "Last used", "Expires", "State")
    for t in tokens:
        state = "revoked" if t.revoked_at else "active" if t.active else "expired"
        table.add_row(str(t.id), cell(t.user), cell(t.name), str(t.role), f"{t.prefix}…", when(t.created_at),
                      when(t.last_used_at), when(t.expires_at), state)  # fmt: skip
    app.console.print(table)
