"""``python -m netraven`` runs the command line."""

from netraven.cli import main

main(prog_name="netraven")
