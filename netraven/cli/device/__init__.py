"""``netraven device``: the devices NetRaven backs up and automates."""

import click

from netraven.cli.device.add import add
from netraven.cli.device.edit import edit
from netraven.cli.device.import_ import import_
from netraven.cli.device.list import list_
from netraven.cli.device.remove import remove
from netraven.cli.device.show import show


@click.group()
def device() -> None:
    """Add, list, show, edit, remove and import devices."""


for command in (add, list_, show, edit, remove, import_):
    device.add_command(command)
