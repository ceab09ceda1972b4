"""The CLI's one error renderer: ``Error: ...`` on one line of stderr, exit status 1.

Every :class:`~netraven.exceptions.NetRavenError` (dependencies' errors arrive wrapped in one:
a database that cannot be reached is a ``DatabaseError``) ends the command here, as do the
commands' own refusals (:func:`fail`). ``--debug`` shows the traceback instead of the line.
Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import NoReturn

import click

from netraven.cli.application import ExitCode
from netraven.exceptions import DatabaseError, NetRavenError


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


# Commands that change something: (action, object type) of their audit row when they fail; the
# object id is the command's first argument. Successful changes are recorded by the domain itself.
AUDITED: dict[tuple[str, ...], tuple[str, str]] = {
    ("device", "add"): ("device.add", "device"),
    ("device", "edit"): ("device.edit", "device"),
    ("device", "remove"): ("device.remove", "device"),
    ("device", "reset"): ("device.reset", "device"),
    ("device", "import"): ("device.import", "device"),
    ("tag", "add"): ("tag.add", "tag"),
    ("tag", "remove"): ("tag.remove", "tag"),
    ("credential", "add"): ("credential.add", "credential"),
    ("credential", "remove"): ("credential.remove", "credential"),
    ("keys", "rotate"): ("keys.rotate", "credential"),
    ("job", "create"): ("job.create", "job"),
    ("job", "enable"): ("job.enable", "job"),
    ("job", "disable"): ("job.disable", "job"),
    ("job", "remove"): ("job.remove", "job"),
    ("job", "run"): ("run.start", "job"),
    ("schedule", "add"): ("job.create", "job"),
    ("schedule", "remove"): ("job.remove", "job"),
    ("run", "start"): ("run.start", "run"),
    ("run", "cancel"): ("run.cancel", "run"),
    ("config", "sync-git"): ("config.sync-git", "config"),
    ("config", "keep"): ("config.keep", "device"),
    ("user", "add"): ("user.add", "user"),
    ("user", "edit"): ("user.edit", "user"),
    ("user", "remove"): ("user.remove", "user"),
    ("user", "passwd"): ("user.passwd", "user"),
    ("token", "create"): ("token.create", "token"),
    ("token", "revoke"): ("token.revoke", "token"),
}


def record_failure(ctx: click.Context, args: list[str], exc: NetRavenError) -> None:
    """Record a failed change (outcome ``failed``, the error's line) of the command line ``args`` of
    the root ``ctx``, when the command had opened the database (its own transaction was rolled
    back). A database that fails again is left alone: the error line already says so."""
    app = ctx.obj
    if app is None or "sessions" not in vars(app) or isinstance(exc, DatabaseError):
        return  # nothing was opened, or the database is what failed: writing to it again waits in vain
    path, argument = _invoked(ctx, args)
    if path not in AUDITED:
        return
    from netraven.audit import record_failure as record

    action, object_type = AUDITED[path]
    with contextlib.suppress(NetRavenError):
        record(app.sessions, action, object_type, argument, exc)


def _invoked(ctx: click.Context, args: list[str]) -> tuple[tuple[str, ...], str | None]:
    """The command path of ``args`` (``("device", "add")``) and its first argument's value, parsed
    again without running anything."""
    command: click.Command = ctx.command
    path: list[str] = []
    parent = ctx
    while isinstance(command, click.Group) and args:
        name, found, rest = command.resolve_command(parent, args)
        if found is None or name is None:
            return tuple(path), None
        path.append(name)
        command = found
        parent = command.make_context(name, list(rest), parent=parent, resilient_parsing=True)
        args = [*parent._protected_args, *parent.args]
    arguments = [p.name for p in command.params if isinstance(p, click.Argument)]
    value = parent.params.get(arguments[0]) if arguments and arguments[0] else None
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
    return tuple(path), None if value is None else str(value)
