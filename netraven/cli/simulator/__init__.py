"""``netraven simulator``: a lab of simulated devices over real SSH on loopback."""

import click


@click.group()
def simulator() -> None:
    """Run simulated network devices for tests, demos and trying plugins."""


def _register() -> None:
    from netraven.cli.simulator.start import start

    simulator.add_command(start)


_register()
