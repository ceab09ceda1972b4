"""``netraven migrate-logs``."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netraven.cli.application import Application

if TYPE_CHECKING:
    from netraven.logimport import ImportReport


@click.command("migrate-logs")
@click.option(
    "--log-dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of the old log files (searched recursively).",
)
@click.option(
    "--timezone", "tz_name", help="Zone of timestamps written without one. Default: scheduler.timezone."
)
@click.option("--dry-run", is_flag=True, help="Read and count everything, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def migrate_logs(app: Application, log_dir: Path, tz_name: str | None, dry_run: bool, as_json: bool) -> None:
    """Import the log files of NetRaven's file-logging era into the job logs.

    Reads *.log (text) and *.jsonl (JSON lines) files, rotated (.1, .2, dated) and gzipped (.gz)
    ones too. Entries of one session become one run, entries of one job id without a session one
    run per day, others stay without a run. Messages are redacted before they are stored. Running
    it again imports only entries not imported yet. Unparseable lines are listed (file:line) and
    skipped. See docs/log-migration.md.
    """
    from netraven.logimport import import_logs

    try:
        tz = zoneinfo.ZoneInfo(tz_name) if tz_name else app.tz
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise click.BadParameter(f"unknown time zone {tz_name!r}", param_hint="--timezone") from exc
    report = import_logs(app.sessions, log_dir, tz, dry_run=dry_run)
    if as_json:
        app.print_json({"dry_run": dry_run, **report.to_dict()})
        return
    for line in [*report.unreadable, *report.problems]:
        click.echo(line)
    if report.unparseable > len(report.problems):
        click.echo(f"... and {report.unparseable - len(report.problems)} more unparseable line(s)")
    click.echo(_summary(report, dry_run))


def _summary(report: ImportReport, dry_run: bool) -> str:
    verb = "would be imported" if dry_run else "imported"
    text = (
        f"{report.files} file(s) read: {report.imported} line(s) {verb}, {report.already_imported} "
        f"already imported, {report.unparseable} unparseable; {report.runs_created} run(s) "
        f"{'would be ' if dry_run else ''}created."
    )
    if report.unreadable:
        text += f" {len(report.unreadable)} file(s) could not be read."
    return text + (" Dry run: nothing was written." if dry_run else "")
