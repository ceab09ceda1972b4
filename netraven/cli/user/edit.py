"""``netraven user edit``."""

import click

from netraven.cli.application import Application
from netraven.cli.user.options import ROLES


@click.command()
@click.argument("name")
@click.option("--role", type=ROLES, help="New role; lowering it applies to the user's tokens at once.")
@click.option(
    "--enable/--disable", "enabled", default=None, help="Allow or refuse the user's logins and tokens."
)
@click.option("--full-name", help="The person's name, for display.")
@click.option("--unlock", is_flag=True, help="End a lockout after repeated failed logins.")
@click.pass_obj
def edit(
    app: Application, name: str, role: str | None, enabled: bool | None, full_name: str | None, unlock: bool
) -> None:
    """Change user NAME's role, enabled state or full name, or unlock it."""
    from netraven.users import edit_user

    if role is None and enabled is None and full_name is None and not unlock:
        app.abort("nothing to change: give --role, --enable/--disable, --full-name or --unlock")
    with app.sessions.begin() as session:
        user = edit_user(session, name, role=role, enabled=enabled, full_name=full_name, unlock=unlock)
    state = "enabled" if user.enabled else "disabled"
    click.echo(f"User {user.username!r} is now {user.role}, {state}.")
