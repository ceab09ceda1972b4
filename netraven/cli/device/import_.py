"""``netraven device import``."""

from pathlib import Path

import click

from netraven.cli.application import Application, ExitCode
from netraven.cli.errors import fail


def _mapping(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, platform = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: expected NAME=DEVICE_TYPE")
        pairs[name] = platform
    return pairs


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["file", "oxidized", "rancid"]),
    default="file",
    show_default=True,
    help="file: CSV/YAML/JSON by its name; oxidized or rancid: that tool's router.db.",
)
@click.option("--tag", "tags", multiple=True, help="Add this tag to every imported device (repeatable).")
@click.option("--update", is_flag=True, help="Update devices that exist instead of refusing them.")
@click.option(
    "--no-credentials", is_flag=True, help="Leave out the usernames and passwords an Oxidized file gives."
)
@click.option(
    "--map", "model_map", multiple=True, callback=_mapping, metavar="NAME=DEVICE_TYPE",
    help="Map an Oxidized model or RANCID type to a netmiko device type (repeatable).",
)  # fmt: skip
@click.option("--delimiter", help="The router.db field separator (default: ':' Oxidized, ';' RANCID).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def import_(
    app: Application,
    file: Path,
    file_format: str,
    tags: tuple[str, ...],
    update: bool,
    no_credentials: bool,
    model_map: dict[str, str],
    delimiter: str | None,
    as_json: bool,
) -> None:
    """Import devices from FILE: CSV with a header, a YAML/JSON fleet file, or a router.db.

    Fields: hostname, host (or address, ip), platform (or device_type), port, tags (';' or '|'
    between names), description, enabled; others (such as passwords) are ignored. An Oxidized
    router.db (--format oxidized) is name:ip:model[:username:password[:enable]], its logins
    stored as encrypted credentials bound to their devices; a RANCID one (--format rancid) is
    name;type;state, a device not 'up' imported disabled. Every row is checked first: if any is
    bad, each problem is printed on its own line and nothing is imported.
    """
    from netraven.inventory import ImportValidationError, import_devices

    if file_format == "file" and (model_map or delimiter or no_credentials):
        fail("--map, --delimiter and --no-credentials need --format oxidized or rancid")
    try:
        with app.sessions.begin() as session:
            if file_format == "file":
                report = import_devices(session, file, default_tags=tags, update=update).to_dict()
            else:
                from netraven.toolimport import import_router_db

                report = import_router_db(
                    session, app.settings, file, file_format, default_tags=tags, update=update,
                    credentials=not no_credentials, model_map=model_map, delimiter=delimiter,
                ).to_dict()  # fmt: skip
    except ImportValidationError as exc:
        if as_json:
            app.print_json({"imported": False, "message": str(exc), "errors": list(exc.errors)})
            raise SystemExit(ExitCode.ERROR) from exc
        fail(str(exc), details=exc.errors)
    if as_json:
        app.print_json({"imported": True, **report})
        return
    said = [f"{report['created']} created", f"{report['updated']} updated"]
    said.append(f"{report['tags_created']} new tag(s)")
    if report.get("credentials_created") or report.get("credentials_reused"):
        said.append(f"{report['credentials_created']} credential(s) created")
        said[-1] += f", {report['credentials_reused']} reused"
    if report.get("logins_ignored"):
        said.append(f"{report['logins_ignored']} login(s) left out (--no-credentials)")
    click.echo(f"Imported {report['total']} device(s) from {file.name}: {', '.join(said)}.")
