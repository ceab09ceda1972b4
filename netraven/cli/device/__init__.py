"""``netraven device``: the devices NetRaven backs up and automates."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "add": "netraven.cli.device.add:add",
        "list": "netraven.cli.device.list:list_",
        "show": "netraven.cli.device.show:show",
        "edit": "netraven.cli.device.edit:edit",
        "remove": "netraven.cli.device.remove:remove",
        "reset": "netraven.cli.device.reset:reset",
        "import": "netraven.cli.device.import_:import_",
    },
)
def device() -> None:
    """Add, list, show, edit, remove and import devices; reset a device's circuit breaker."""
