"""``netraven simulator start``: defined beside the simulator (see :mod:`netraven.simulator.cli`)."""

from netraven.simulator.cli import start

__all__ = ["start"]
