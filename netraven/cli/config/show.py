"""``netraven config show``."""

from zoneinfo import ZoneInfo

import click

from netraven.cli.application import Application
from netraven.configs import queries


@click.command()
@click.argument("hostname")
@click.option("--version", type=click.IntRange(min=1), help="Version number. Default: the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the text with its version details).")
@click.pass_obj
def show(app: Application, hostname: str, version: int | None, as_json: bool) -> None:
    """Print HOSTNAME's stored config (the latest by default).

    The text is printed as it was stored: redacted if backup.redact_stored was set when it was saved.
    """
    with app.sessions() as session:
        stored = queries.get(session, hostname, version)
    if as_json:
        zone = ZoneInfo(app.settings.scheduler.timezone)
        app.print_json(
            {
                "hostname": stored.hostname,
                "version": stored.version,
                "retrieved_at": stored.retrieved_at.astimezone(zone).isoformat(),
                "redacted": stored.redacted,
                "git_commit": stored.git_commit,
                "text": stored.text,
            }
        )
        return
    click.echo(stored.text, nl=not stored.text.endswith("\n"))
