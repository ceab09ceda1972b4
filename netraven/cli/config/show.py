"""``netraven config show``."""

import click

from netraven.cli.application import Application
from netraven.cli.config.secrets import reveal_option, shown
from netraven.cli.params import ID


@click.command()
@click.argument("hostname")
@click.option("--version", type=ID, help="Version number. Default: the latest.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the text with its version details).")
@reveal_option
@click.pass_obj
def show(app: Application, hostname: str, version: int | None, as_json: bool, reveal: bool) -> None:
    """Print HOSTNAME's stored config (the latest by default), its secrets masked.

    With --reveal-secrets the text is printed as it was stored: raw, or redacted if
    backup.redact_stored was set when it was saved.
    """
    from netraven.configs import queries

    with app.sessions() as session:
        stored = queries.get(session, hostname, version)
    text = shown(stored.text, reveal)
    if as_json:
        zone = app.tz
        app.print_json(
            {
                "hostname": stored.hostname,
                "version": stored.version,
                "retrieved_at": stored.retrieved_at.astimezone(zone).isoformat(),
                "redacted": stored.redacted,
                "git_commit": stored.git_commit,
                "text": text,
            }
        )
        return
    click.echo(text, nl=not text.endswith("\n"))
