"""``netraven plugins list``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from netraven.cli.application import Application

if TYPE_CHECKING:
    pass

_STATUS_STYLE = {"loaded": "green", "failed": "red", "blocked": "yellow"}


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_plugins(app: Application, as_json: bool) -> None:
    """List plugins (loaded, failed or blocked) and the job types they provide."""
    from rich.table import Table

    from netraven.plugins import describe_plugins

    data = describe_plugins(app.plugins)
    if as_json:
        app.print_json(data)
        return
    plugins = Table("Plugin", "Source", "Status", title="Plugins", title_justify="left")
    for p in data["plugins"]:
        source = f"{p['distribution']} {p['version']}" if p["distribution"] else p["source"]
        status = f"[{_STATUS_STYLE[p['status']]}]{p['status']}[/]" + (
            f": {p['reason']}" if p["reason"] else ""
        )
        plugins.add_row(p["name"], source, status)
    app.console.print(plugins)
    if not data["job_types"]:
        app.console.print("No job types registered.")
        return
    job_types = Table(
        "Job type", "Plugin", "Description", "Parameters", title="Job types", title_justify="left"
    )
    for jt in data["job_types"]:
        params = "\n".join(_param_line(name, p) for name, p in jt["parameters"].items())
        job_types.add_row(jt["name"], jt["plugin"], jt["description"], params or "-")
    app.console.print(job_types)


def _param_line(name: str, p: dict[str, Any]) -> str:
    from rich.markup import escape

    flags = "required" if p["required"] else f"default {p['default']!r}"
    choices = f", one of {', '.join(map(str, p['choices']))}" if p["choices"] else ""
    return escape(f"{name} ({p['type']}, {flags}{choices})")  # "list[str]" is not rich markup
