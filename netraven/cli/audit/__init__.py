"""``netraven audit``: the audit trail of changes and logins."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(cls=LazyGroup, lazy={"list": "netraven.cli.audit.list:list_"})
def audit() -> None:
    """Read the audit trail: every change made through the CLI or the web API, and every login."""
