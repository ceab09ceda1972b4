"""``netraven notify``: the notifications' delivery log, test messages and channel secrets."""

import click

from netraven.cli.lazy import LazyGroup


@click.group(
    cls=LazyGroup,
    lazy={
        "log": "netraven.cli.notify.log:log",
        "secret": "netraven.cli.notify.secret:secret",
        "test": "netraven.cli.notify.test:test",
    },
)
def notify() -> None:
    """Notifications by email and webhook: what was sent, test a channel, store its secrets."""
