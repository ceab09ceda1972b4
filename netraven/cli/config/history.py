"""``netraven config history``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from netraven.cli.application import Application
from netraven.cli.params import COUNT

if TYPE_CHECKING:
    from netraven.configs import VersionInfo


@click.command()
@click.argument("hostname")
@click.option("--limit", type=COUNT, default=20, show_default=True, help="Newest N versions (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def history(app: Application, hostname: str, limit: int, as_json: bool) -> None:
    """List the versions of HOSTNAME's config, newest first.

    Times are shown in scheduler.timezone. The commit is the git commit that wrote the version;
    'pending' when it is not in git yet (see 'netraven config sync-git').
    A version a backup stored with --param unchecked=yes is named below the table.
    """
    from rich.table import Table

    from netraven.configs import queries

    zone = app.tz
    with app.sessions() as session:
        versions = queries.history(session, hostname, limit or None)
        total = queries.count_versions(session, hostname)
    if as_json:
        rows = [_to_dict(v, zone) for v in versions]
        app.print_json({"hostname": hostname, "total_versions": total, "versions": rows})
        return
    if not versions:
        click.echo(f"No stored config for {hostname!r}.")
        return
    table = Table(
        "Version",
        f"Retrieved ({zone.key})",
        "Last seen",
        "Size",
        "Changed",
        "Run",
        "Commit",
        "Redacted",
        "Keep",
    )
    for v in versions:
        table.add_row(
            str(v.version),
            _local(v.retrieved_at, zone),
            _local(v.last_seen_at, zone),
            f"{v.size_bytes:,} B",
            _or_dash(v.changed_lines),
            _or_dash(v.run_id),
            "pending" if v.git_pending else (v.git_commit or "-")[:10],
            "yes" if v.redacted else "no",
            "keep" if v.keep else "",
        )
    app.console.print(table)
    for v in versions:
        if v.unchecked:
            click.echo(
                f"Version {v.version} is the unchecked output of {v.command!r}, not necessarily a config."
            )
    more = "; --limit 0 shows all" if len(versions) < total else ""
    click.echo(f"{len(versions)} of {total} version(s){more}")


def _to_dict(v: VersionInfo, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "version": v.version,
        "retrieved_at": v.retrieved_at.astimezone(zone).isoformat(),
        "last_seen_at": v.last_seen_at.astimezone(zone).isoformat(),
        "size_bytes": v.size_bytes,
        "changed_lines": v.changed_lines,
        "run_id": v.run_id,
        "git_commit": v.git_commit,
        "redacted": v.redacted,
        "git_pending": v.git_pending,
        "command": v.command,
        "unchecked": v.unchecked,
        "keep": v.keep,
        "previous": v.previous,
    }


def _local(when: datetime, zone: ZoneInfo) -> str:
    return f"{when.astimezone(zone):%Y-%m-%d %H:%M:%S}"


def _or_dash(value: int | None) -> str:
    return "-" if value is None else str(value)
