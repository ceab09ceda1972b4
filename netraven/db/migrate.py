"""Schema migrations with Alembic, usable from a checkout and from an installed wheel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from alembic import command
from netraven.exceptions import DatabaseError, SchemaError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def script_location() -> Path:
    """The migration scripts: ``netraven/migrations`` in a wheel, ``alembic/`` in a checkout."""
    for candidate in (_PACKAGE_DIR / "migrations", _PACKAGE_DIR.parent / "alembic"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError("NetRaven's migration scripts are missing from this installation")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs on ``engine`` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    return ScriptDirectory(str(script_location())).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(command.upgrade, engine, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(command.downgrade, engine, revision)


def _run(action: Callable[[Config, str], None], engine: Engine, revision: str) -> None:
    try:
        action(alembic_config(engine), revision)
    except CommandError as exc:
        raise DatabaseError(f"migration to {revision!r} failed: {exc}") from exc


def require_current_schema(engine: Engine) -> None:
    """Raise :class:`SchemaError` unless the database is at the newest revision."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaError(
            f"the database {_describe(engine)} has no NetRaven schema: run 'netraven db upgrade'"
        )
    script = ScriptDirectory(str(script_location()))
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise SchemaError(
            f"the database {_describe(engine)} is at revision {current}, which this NetRaven does not "
            "know (made by a newer version?): upgrade NetRaven"
        )
    raise SchemaError(
        f"the database {_describe(engine)} schema is at {current}, behind {head}: run 'netraven db upgrade'"
    )


def _describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)
