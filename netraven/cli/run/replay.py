"""``netraven run replay-unsaved``: store the results a run could not write, once the database is back."""

from __future__ import annotations

import click

from netraven.cli.application import Application, ExitCode


@click.command("replay-unsaved")
@click.option("--json", "as_json", is_flag=True, help="Print what was replayed as JSON.")
@click.pass_obj
def replay_unsaved(app: Application, as_json: bool) -> None:
    """Store the host results kept in logs/unsaved-results.jsonl (written when the database failed).

    Each host is stored as its run would have stored it (a backup's config included); a host
    whose run already has its result is skipped, so replaying twice writes nothing twice. Exit
    status 3 if some host could not be stored again (it stays in the file for the next replay).
    """
    from netraven.runner.unsaved import replay_unsaved as replay

    report = replay(app.settings, app.engine, app.plugins)
    if as_json:
        app.print_json({
            "stored": [{"run_id": r, "hostname": h} for r, h in report.stored],
            "already_stored": [{"run_id": r, "hostname": h} for r, h in report.already],
            "failed": [{"run_id": r, "hostname": h, "message": m} for r, h, m in report.failed],
        })  # fmt: skip
    else:
        for run_id, host, why in report.failed:
            click.echo(f"run {run_id}, {host}: not stored: {why}", err=True)
        click.echo(f"{len(report.stored)} result(s) stored, {len(report.already)} already stored, "
                   f"{len(report.failed)} not stored.")  # fmt: skip
    if report.failed:
        raise SystemExit(ExitCode.NOT_SUCCEEDED)
