"""Options shared by the ``user`` verbs."""

import click

ROLES = click.Choice(["viewer", "operator", "admin"], case_sensitive=False)

password_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)
