"""``netraven token``: personal API tokens for scripts."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "create": "netraven.cli.token.create:create",
        "list": "netraven.cli.token.list:list_",
        "revoke": "netraven.cli.token.revoke:revoke",
    },
)
def token() -> None:
    """Create, list and revoke personal API tokens (sent as 'Authorization: Bearer nrt_...').

    A token acts as its user with its own role, never above the user's. Only a hash is stored:
    the token is shown once, when created.
    """
