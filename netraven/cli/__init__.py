"""The ``netraven`` command line: one subpackage per noun, one module per verb."""

from __future__ import annotations

import gc
from typing import Any

import click

from netraven._version import __version__
from netraven.cli import errors
from netraven.cli.application import Application
from netraven.cli.lazy import LazyGroup
from netraven.exceptions import NetRavenError


class NetRavenGroup(LazyGroup):
    """Turns NetRaven errors into one line and exit status 1 (tracebacks only with --debug), after
    recording a failed change in the audit trail."""

    def invoke(self, ctx: click.Context) -> Any:
        args = [*ctx._protected_args, *ctx.args]  # the command line after the options of netraven
        try:
            return super().invoke(ctx)
        except NetRavenError as exc:
            errors.record_failure(ctx, args, exc)
            errors.render(ctx, exc)


@click.group(
    cls=NetRavenGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    lazy={
        "audit": "netraven.cli.audit:audit",
        "completion": "netraven.cli.completion:completion",
        "config": "netraven.cli.config:config",
        "credential": "netraven.cli.credential:credential",
        "db": "netraven.cli.db:db",
        "demo": "netraven.cli.demo:demo",
        "device": "netraven.cli.device:device",
        "job": "netraven.cli.job:job",
        "keys": "netraven.cli.keys:keys",
        "logs": "netraven.cli.logs:logs",
        "notify": "netraven.cli.notify:notify",
        "migrate-logs": "netraven.cli.migrate_logs:migrate_logs",
        "plugins": "netraven.cli.plugins:plugins",
        "prune": "netraven.cli.prune:prune",
        "run": "netraven.cli.run:run",
        "schedule": "netraven.cli.schedule:schedule",
        "serve": "netraven.cli.serve:serve",
        "simulator": "netraven.cli.simulator:simulator",
        "tag": "netraven.cli.tag:tag",
        "token": "netraven.cli.token:token",
        "user": "netraven.cli.user:user",
        "worker": "netraven.cli.worker:worker",
    },
)
@click.version_option(__version__, "--version", prog_name="netraven")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NETRAVEN_CONFIG",
    help="Settings file (YAML). Default: netraven.yaml in the data directory.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option(
    "--user", help="Who is acting, in the audit trail and as triggered_by/created_by. Default: the OS user."
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None, debug: bool, user: str | None) -> None:
    """NetRaven: network configuration backup and automation."""
    from netraven.audit.context import acting_as

    if user is not None:  # it names the actor of every audit row: printable, as any name
        from netraven.exceptions import UserError
        from netraven.inventory.validation import check_name

        user = check_name(user, "--user", UserError)
    app = Application(config_path, debug, user)
    ctx.obj = app
    ctx.call_on_close(app.close)
    ctx.with_resource(acting_as(app.principal))  # every change the command makes is by app.user


def run() -> None:
    """The ``netraven`` command (its console script, and ``python -m netraven``): :func:`main`, then exit.

    The process ends with the command, so everything it created is frozen out of the garbage
    collector first: the interpreter's final collection over a run's objects (Nornir, paramiko,
    SQLAlchemy) took a third of a second of every ``netraven run``. Files, databases and the
    application log are closed by the command itself; ``atexit`` handlers still run.
    """
    try:
        main(prog_name="netraven")
    finally:
        gc.freeze()
