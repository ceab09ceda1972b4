"""``netraven tag remove``."""

import click

from netraven.cli.application import Application


@click.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def remove(app: Application, name: str, yes: bool) -> None:
    """Remove tag NAME from every device, credential and job that has it (they stay)."""
    from netraven.inventory import remove_tag

    if not yes:
        click.confirm(f"Remove tag {name!r} from every device, credential and job?", abort=True)
    with app.sessions.begin() as session:
        remove_tag(session, name)
    click.echo(f"Tag {name!r} removed.")
