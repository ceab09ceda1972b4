"""``python -m netraven`` runs the command line."""

from netraven.cli import run

run()
