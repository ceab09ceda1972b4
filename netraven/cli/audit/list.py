"""``netraven audit list``."""

from datetime import UTC, datetime

import click

from netraven.cli.application import Application
from netraven.cli.params import COUNT


@click.command("list")
@click.option("--actor", help="Only entries by this user (or OS user, for the CLI).")
@click.option("--action", help="Only this action (device.add) or actions of an object (device.*).")
@click.option("--object-type", help="Only entries about this kind of object (device, job, user...).")
@click.option("--since", help="Entries from this time on: a duration ago (30m, 1h, 2d) or an ISO time.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Show N entries.")
@click.option("--offset", type=COUNT, default=0, help="Skip the newest N matching entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {items, total, limit, offset}.")
@click.pass_obj
def list_(
    app: Application,
    actor: str | None,
    action: str | None,
    object_type: str | None,
    since: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List audit entries, newest first: when, who (and from where), what, on which object, outcome."""
    from rich.table import Table

    from netraven.audit import entry_to_dict, list_entries
    from netraven.cli.printable import cell
    from netraven.jobs.schedules import format_time
    from netraven.logs import parse_time

    start = parse_time(since, datetime.now(UTC), app.tz, "--since") if since is not None else None
    with app.sessions() as session:
        page = list_entries(session, actor=actor, action=action, object_type=object_type, since=start,
                            limit=limit, offset=offset)  # fmt: skip
    if as_json:
        app.print_json({"items": [entry_to_dict(e) for e in page.items], "total": page.total,
                        "limit": page.limit, "offset": page.offset})  # fmt: skip
        return
    table = Table("When", "Actor", "Action", "Object", "Outcome", "Changes / detail")
    for e in page.items:
        who = f"{e.actor_name} ({e.actor_kind}{', ' + e.address if e.address else ''})"
        what = f"{e.object_type} {e.object_id}" if e.object_id else e.object_type
        changes = ", ".join(f"{k}: {_short(v)}" for k, v in (e.changes or {}).items())
        style = "" if e.outcome == "succeeded" else "red"
        detail = " ".join(filter(None, [changes, e.detail])) or "-"
        when = format_time(e.at, app.tz)
        table.add_row(when, cell(who), cell(e.action), cell(what), cell(e.outcome, style), cell(detail))
    app.console.print(table)
    if page.total > offset + len(page.items):
        app.err_console.print(f"{len(page.items)} of {page.total} entries shown: use --offset or filters.",
                              style="dim")  # fmt: skip


def _short(value: object, limit: int = 60) -> str:
    text = f"{value[0]} → {value[1]}" if isinstance(value, list) and len(value) == 2 else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
