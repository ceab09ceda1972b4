"""``netraven logs connection``."""

from __future__ import annotations

import click

from netraven.cli.application import Application
from netraven.cli.params import ID


@click.command()
@click.option("--run", "run_id", type=ID, required=True, help="The run (an id).")
@click.option("--device", required=True, help="The device (its hostname).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def connection(app: Application, run_id: int, device: str, as_json: bool) -> None:
    """Show the SSH session transcript of one device in one run, secrets redacted."""
    from netraven.cli.printable import printable
    from netraven.jobs.schedules import format_time
    from netraven.logs import get_transcript, transcript_to_dict

    tz = app.tz
    with app.sessions() as session:
        transcript = get_transcript(session, run_id, device)
    if as_json:
        data = transcript_to_dict(transcript)
        app.print_json({**data, "timestamp": transcript.timestamp.astimezone(tz).isoformat()})
        return
    when = format_time(transcript.timestamp, tz)
    app.console.print(f"Run {run_id}, {printable(transcript.hostname)}, {when}:", markup=False, style="bold")
    click.echo(transcript.text.rstrip("\n"))
