"""``netraven notify log``."""

import click

from netraven.cli.application import Application
from netraven.cli.params import COUNT


@click.command()
@click.option("--status", help="Only deliveries in this state: pending, retrying, sent or failed.")
@click.option("--channel", help="Only deliveries to this channel.")
@click.option(
    "--event", help="Only this event: config_changed, run_failed, device_failing, device_recovered, test."
)
@click.option("--run", "run_id", type=COUNT, help="Only deliveries about this run.")
@click.option(
    "--limit", type=click.IntRange(1, 1000), default=50, show_default=True, help="Show N deliveries."
)
@click.option("--offset", type=COUNT, default=0, help="Skip the newest N matching deliveries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {items, total, limit, offset}.")
@click.pass_obj
def log(
    app: Application,
    status: str | None,
    channel: str | None,
    event: str | None,
    run_id: int | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List notification deliveries, newest first: event, channel, status, attempts, last error."""
    from rich.table import Table

    from netraven.cli.printable import cell
    from netraven.jobs.schedules import format_time
    from netraven.notifications import DeliveryFilter, delivery_view, list_deliveries

    filters = DeliveryFilter(status, channel, event, run_id)
    with app.sessions() as session:
        page = list_deliveries(session, filters, limit, offset)
    if as_json:
        app.print_json({"items": [delivery_view(d) for d in page.items], "total": page.total,
                        "limit": page.limit, "offset": page.offset})  # fmt: skip
        return
    table = Table("Id", "When", "Event", "Channel", "Status", "Attempts", "Subject / last error")
    for d in page.items:
        style = {"sent": "green", "failed": "red", "retrying": "yellow"}.get(d.status, "")
        text = d.subject + (f"\n{d.last_error}" if d.last_error else "")
        table.add_row(str(d.id), format_time(d.created_at, app.tz), cell(d.event), cell(d.channel),
                      cell(d.status, style), str(d.attempts), cell(text))  # fmt: skip
    app.console.print(table)
    if page.total > offset + len(page.items):
        app.err_console.print(f"{len(page.items)} of {page.total} deliveries shown: use --offset or filters.",
                              style="dim")  # fmt: skip
