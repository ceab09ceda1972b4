"""``netraven job``: job definitions (what to run, on which devices, when) and their runs."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "create": "netraven.cli.job.create:create",
        "list": "netraven.cli.job.list:list_",
        "show": "netraven.cli.job.show:show",
        "enable": "netraven.cli.job.enable:enable",
        "disable": "netraven.cli.job.enable:disable",
        "remove": "netraven.cli.job.remove:remove",
        "run": "netraven.cli.job.run:run",
        "runs": "netraven.cli.job.runs:runs",
    },
)
def job() -> None:
    """Create, list, show, enable, disable, remove and run jobs, and see their runs."""
