"""The one application object every command gets as ``ctx.obj``, and the CLI's exit statuses.

Everything commands share is made here, on first use, so that a command imports and opens only
what it needs (``--help`` imports none of it): settings, the database engine and sessions, the
plugin manager, the queue, the time zone, and the consoles.
"""

from __future__ import annotations

import getpass
import json
from enum import IntEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo

import click

from netraven.principal import Principal, Role

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

    from netraven.cli.applog import ApplicationLog
    from netraven.plugins import NetRavenPluginManager
    from netraven.redaction import RedactingFormatter
    from netraven.scheduler.queue import Queue
    from netraven.settings import Settings


class ExitCode(IntEnum):
    """Exit statuses of every command."""

    OK = 0
    ERROR = 1  # the command could not do what was asked: one line on stderr
    USAGE = 2  # click: a bad option or argument
    NOT_SUCCEEDED = 3  # a run ended, but not every host succeeded (or the run failed or was cancelled)
    NO_HOSTS = 4  # a run matched no enabled device: recorded, with zero hosts, and nothing was done


class Application:
    """Owns settings, database sessions, plugins, the queue, the time zone and output for one invocation,
    and who is acting (:attr:`principal`)."""

    def __init__(self, config_path: str | None, debug: bool, user: str | None) -> None:
        self.config_path = config_path
        self.debug = debug
        self.user = user or _os_user()
        self._log: ApplicationLog | None = None

    @property
    def principal(self) -> Principal:
        """Who the command acts as in the audit trail: the ``--user`` or OS user, as an admin (the
        shell account that can read the settings and the database may do anything)."""
        return Principal(kind="cli", username=self.user, role=Role.ADMIN)

    @cached_property
    def settings(self) -> Settings:
        """The settings; loading them opens the application log they configure (:mod:`.applog`)."""
        from netraven.cli.applog import ApplicationLog
        from netraven.settings import load_settings

        settings = load_settings(self.config_path)
        self._log = ApplicationLog(settings.logging.level, settings.home)
        return settings

    def log_to_stderr(self) -> RedactingFormatter:
        """Send the application log to stderr instead of its file (``netraven worker``)."""
        from netraven.cli.applog import ApplicationLog

        level = self.settings.logging.level
        if self._log is not None:
            self._log.close()
        self._log = ApplicationLog(level)
        return self._log.formatter

    @cached_property
    def engine(self) -> Engine:
        from netraven.datadir import exposed_warning
        from netraven.db.session import create_engine_from_settings

        engine = create_engine_from_settings(self.settings)
        warning = exposed_warning(self.settings)
        if warning:
            self.err_console.print(f"Warning: {warning}", markup=False, soft_wrap=True, style="yellow")
        return engine

    @cached_property
    def current_engine(self) -> Engine:
        """The engine, once the database's schema is known to be current (checked once)."""
        from netraven.db.migrate import require_current_schema

        require_current_schema(self.engine)
        return self.engine

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Session factory for a database whose schema is current."""
        from netraven.db.session import create_session_factory

        return create_session_factory(self.current_engine)

    def connect(self) -> Connection:
        """A Core connection on a current schema, for commands that only read (no ORM to import)."""
        return self.current_engine.connect()

    @cached_property
    def plugins(self) -> NetRavenPluginManager:
        """The plugin manager, with every installed plugin loaded."""
        from netraven.plugins import create_plugin_manager

        return create_plugin_manager()

    @cached_property
    def queue(self) -> Queue:
        """The queue of the ``huey`` settings, its tasks using this application's engine."""
        from netraven.scheduler.queue import Runtime, create_queue

        return create_queue(self.settings, Runtime(self.settings, engine=self.engine))

    @cached_property
    def tz(self) -> ZoneInfo:
        """The time zone of schedules and of the times shown (``scheduler.timezone``)."""
        return ZoneInfo(self.settings.scheduler.timezone)

    @cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False)

    @cached_property
    def err_console(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False)

    def print_json(self, data: Any) -> None:
        click.echo(json.dumps(data, indent=2, default=str))

    def abort(self, message: str, code: int = ExitCode.ERROR) -> NoReturn:
        """Print one error line and exit with ``code``."""
        from netraven.cli.errors import fail  # errors.py needs ExitCode from here

        fail(message, code)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
        if "queue" in self.__dict__:
            self.queue.close()
        if "engine" in self.__dict__:
            self.engine.dispose()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
