"""``netraven job``: job definitions (what to run, on which devices, when) and their runs."""

import click

from netraven.cli.job.create import create
from netraven.cli.job.enable import disable, enable
from netraven.cli.job.list import list_
from netraven.cli.job.remove import remove
from netraven.cli.job.run import run
from netraven.cli.job.runs import runs
from netraven.cli.job.show import show


@click.group()
def job() -> None:
    """Create, list, show, enable, disable, remove and run jobs, and see their runs."""


for command in (create, list_, show, enable, disable, remove, run, runs):
    job.add_command(command)
