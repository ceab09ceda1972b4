"""The ``netraven`` command line: one subpackage per noun, one module per verb."""

from __future__ import annotations

from typing import Any

import click

from netraven._version import __version__
from netraven.cli.application import Application
from netraven.exceptions import NetRavenError


class NetRavenGroup(click.Group):
    """Turns NetRaven errors into one line and exit status 1 (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetRavenError as exc:
            app = ctx.find_object(Application)
            if app is not None and app.debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=NetRavenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="netraven")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NETRAVEN_CONFIG",
    help="Settings file (YAML). Default: netraven.yaml in the data directory.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("--user", help="Who is acting, recorded as triggered_by/created_by. Default: the OS user.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, debug: bool, user: str | None) -> None:
    """NetRaven: network configuration backup and automation."""
    app = Application(config_path, debug, user)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    from netraven.cli.completion import completion
    from netraven.cli.config import config
    from netraven.cli.credential import credential
    from netraven.cli.db import db
    from netraven.cli.demo import demo
    from netraven.cli.device import device
    from netraven.cli.job import job
    from netraven.cli.keys import keys
    from netraven.cli.logs import logs
    from netraven.cli.migrate_logs import migrate_logs
    from netraven.cli.plugins import plugins
    from netraven.cli.run import run
    from netraven.cli.schedule import schedule
    from netraven.cli.simulator import simulator
    from netraven.cli.tag import tag
    from netraven.cli.worker import worker

    main.add_command(completion)
    main.add_command(config)
    main.add_command(credential)
    main.add_command(db)
    main.add_command(demo)
    main.add_command(device)
    main.add_command(job)
    main.add_command(keys)
    main.add_command(logs)
    main.add_command(migrate_logs)
    main.add_command(plugins)
    main.add_command(run)
    main.add_command(schedule)
    main.add_command(simulator)
    main.add_command(tag)
    main.add_command(worker)


_register()
