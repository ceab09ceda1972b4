"""The one application object every command gets as ``ctx.obj``."""

from __future__ import annotations

import getpass
import json
from functools import cached_property
from typing import Any, NoReturn

import click
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from netraven.settings import Settings, load_settings


class Application:
    """Owns settings, database sessions and output for one CLI invocation."""

    def __init__(self, config_path: str | None, debug: bool, user: str | None) -> None:
        self.config_path = config_path
        self.debug = debug
        self.user = user or _os_user()
        self.console = Console(highlight=False)
        self.err_console = Console(stderr=True, highlight=False)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_path)

    @cached_property
    def engine(self) -> Engine:
        from netraven.db.session import create_engine_from_settings

        return create_engine_from_settings(self.settings)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Session factory for a database whose schema is current (checked once)."""
        from netraven.db.migrate import require_current_schema
        from netraven.db.session import create_session_factory

        require_current_schema(self.engine)
        return create_session_factory(self.engine)

    def print_json(self, data: Any) -> None:
        click.echo(json.dumps(data, indent=2, default=str))

    def abort(self, message: str, code: int = 1) -> NoReturn:
        """Print one error line and exit with ``code``."""
        self.err_console.print(f"[red]Error:[/red] {message}", markup=True, soft_wrap=True)
        raise SystemExit(code)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
