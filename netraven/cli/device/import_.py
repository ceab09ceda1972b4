"""``netraven device import``."""

from pathlib import Path

import click

from netraven.cli.application import Application, ExitCode
from netraven.cli.errors import fail


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Add this tag to every imported device (repeatable).")
@click.option("--update", is_flag=True, help="Update devices that exist instead of refusing them.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def import_(app: Application, file: Path, tags: tuple[str, ...], update: bool, as_json: bool) -> None:
    """Import devices from FILE: CSV with a header, or a YAML/JSON fleet file.

    Fields: hostname, host (or address, ip), platform (or device_type), port, tags (';' or '|'
    between names), description, enabled; others (such as passwords) are ignored. Every row is
    checked first: if any is bad, each problem is printed on its own line and nothing is imported.
    """
    from netraven.inventory import ImportValidationError, import_devices

    try:
        with app.sessions.begin() as session:
            report = import_devices(session, file, default_tags=tags, update=update)
    except ImportValidationError as exc:
        if as_json:
            app.print_json({"imported": False, "message": str(exc), "errors": list(exc.errors)})
            raise SystemExit(ExitCode.ERROR) from exc
        fail(str(exc), details=exc.errors)
    if as_json:
        app.print_json({"imported": True, **report.to_dict()})
        return
    click.echo(
        f"Imported {report.total} device(s) from {file.name}: {report.created} created, "
        f"{report.updated} updated, {report.tags_created} new tag(s)."
    )
