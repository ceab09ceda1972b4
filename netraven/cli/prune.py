"""``netraven prune``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application

if TYPE_CHECKING:
    from netraven.settings import RetentionSettings

RULES = {
    "runs": "ended runs older than retention.run_days",
    "results": "of those runs",
    "job logs": "of those runs, and logs of no run as old",
    "transcripts": "of ended runs older than retention.transcript_days (or run_days)",
    "config versions": "outside the newest retention.config_versions and unseen for config_days",
}


@click.command()
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def prune(app: Application, dry_run: bool, as_json: bool) -> None:
    """Delete runs, logs, transcripts and config versions older than the retention settings keep.

    Deletes in short batches (retention.batch_size rows per transaction), so runs and the web
    API carry on meanwhile. Never deleted: runs still queued or running, the latest config
    version of a device, versions marked with 'netraven config keep', versions not yet in git.
    The git history of configs is not rewritten. Each prune is recorded in the audit trail.
    The worker prunes daily at retention.daily_at. See docs/retention.md.
    """
    from rich.table import Table

    from netraven.retention import prune as run_prune
    from netraven.retention import report_to_dict

    settings = app.settings.retention
    report = run_prune(app.sessions, settings, dry_run=dry_run)
    if as_json:
        app.print_json(report_to_dict(report))
        return
    table = Table("Kind", "Would delete" if dry_run else "Deleted", "Rule")
    for kind, count in report.counts.items():
        table.add_row(kind, f"{count:,}", RULES[kind])
    app.console.print(table)
    click.echo(_policy(settings))
    if dry_run:
        click.echo(f"Dry run: nothing deleted ({report.total:,} row(s) would go).")
    else:
        click.echo(f"{report.total:,} row(s) deleted in {report.batches} batch(es), {report.seconds:.1f} s.")


def _policy(s: RetentionSettings) -> str:
    def days(n: int) -> str:
        return f"{n} days" if n else "forever"

    versions = [f"the newest {s.config_versions} per device"] if s.config_versions else []
    versions += [f"those seen in {s.config_days} days"] if s.config_days else []
    kept = " and ".join(versions) if versions else "all"
    transcripts = min((d for d in (s.transcript_days, s.run_days) if d), default=0)  # the sooner goes
    return (
        f"Kept: runs {days(s.run_days)}, transcripts {days(transcripts)}, "
        f"config versions: {kept} (always the latest and those marked keep)."
    )
