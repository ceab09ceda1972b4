"""``netraven run cancel RUN``: stop a queued or running run, wherever it runs."""

from __future__ import annotations

import click

from netraven.cli.application import Application
from netraven.cli.params import ID


@click.command()
@click.argument("run_id", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
@click.pass_obj
def cancel(app: Application, run_id: int, as_json: bool) -> None:
    """Cancel run RUN_ID: a queued run ends at once; a running one is asked to stop, and the worker
    running it (on any machine) ends it cancelled within seconds: hosts under way finish, the
    others are skipped. Exit status 1 if the run has ended already."""
    from netraven.jobs import cancel_run, run_to_dict

    with app.sessions.begin() as session:
        data = run_to_dict(cancel_run(session, run_id, app.user))
    if as_json:
        app.print_json(data)
    elif data["status"] == "cancelled":
        click.echo(f"Run {run_id} cancelled.")
    else:
        click.echo(f"Run {run_id} asked to stop: its worker ends it cancelled within seconds.")
