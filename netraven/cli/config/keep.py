"""``netraven config keep``."""

import click

from netraven.cli.application import Application
from netraven.cli.params import ID


@click.command()
@click.argument("hostname")
@click.argument("version", type=ID)
@click.option("--unkeep", is_flag=True, help="Remove the mark: retention may delete the version again.")
@click.pass_obj
def keep(app: Application, hostname: str, version: int, unkeep: bool) -> None:
    """Mark VERSION of HOSTNAME's config to keep: 'netraven prune' never deletes it.

    The latest version of a device is always kept; marked versions show 'keep' in
    'netraven config history'.
    """
    from netraven.configs.marks import set_keep

    with app.sessions.begin() as session:
        changed = set_keep(session, hostname, version, keep=not unkeep)
    state = "no longer kept" if unkeep else "kept"
    click.echo(f"{hostname} version {version} is {state}{'' if changed else ' (it already was)'}.")
