"""``netraven simulator``: a lab of simulated devices over real SSH on loopback."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "start": "netraven.cli.simulator.start:start",
    },
)
def simulator() -> None:
    """Run simulated network devices for tests, demos and trying plugins."""
