"""``python -m netraven.simulator start ...``: the simulator without the rest of the CLI."""

import click

from netraven.simulator.cli import start


@click.group()
def main() -> None:
    """Simulated network devices over SSH on loopback."""


main.add_command(start)

if __name__ == "__main__":
    main()
