"""The CLI's one error renderer: ``Error: ...`` on one line of stderr, exit status 1.

Every :class:`~netraven.exceptions.NetRavenError` (dependencies' errors arrive wrapped in one:
a database that cannot be reached is a ``DatabaseError``) ends the command here, as do the
commands' own refusals (:func:`fail`). ``--debug`` shows the traceback instead of the line.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import click

from netraven.cli.application import ExitCode
from netraven.exceptions import NetRavenError


def print_error(message: str, details: Iterable[str] = ()) -> None:
    """``Error: message`` on stderr, after one line per detail (such as one per bad input row)."""
    for line in details:
        click.echo(line, err=True)
    click.echo(f"{click.style('Error:', fg='red')} {message}", err=True)


def fail(message: str, code: int = ExitCode.ERROR, details: Iterable[str] = ()) -> NoReturn:
    """Print the error and end the command with exit status ``code``."""
    print_error(message, details)
    raise SystemExit(code)


def render(ctx: click.Context, exc: NetRavenError) -> NoReturn:
    """End the command for ``exc`` (being handled): one line and status 1, or with ``--debug``
    (of the ``netraven`` command, read from ``ctx``) its traceback."""
    if ctx.find_root().params.get("debug"):
        raise exc
    fail(str(exc).strip() or type(exc).__name__)
