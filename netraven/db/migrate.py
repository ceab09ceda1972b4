"""Schema migrations with Alembic, usable from a checkout and from an installed wheel.

Alembic is imported only to migrate or to explain a schema that is not current: every command
and every run checks the schema, and the check of a current one is one query
(:data:`SCHEMA_REVISION` is the newest revision; a test keeps it equal to Alembic's head).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from netraven.db.errors import describe_url
from netraven.exceptions import DatabaseError, SchemaError

if TYPE_CHECKING:
    from alembic.config import Config

SCHEMA_REVISION = "0016"  # the newest revision in alembic/versions

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def script_location() -> Path:
    """The migration scripts: ``netraven/migrations`` in a wheel, ``alembic/`` in a checkout."""
    for candidate in (_PACKAGE_DIR / "migrations", _PACKAGE_DIR.parent / "alembic"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError("NetRaven's migration scripts are missing from this installation")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config that runs on ``engine`` (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    """The newest revision of the migration scripts, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(script_location())).get_current_head()


def current_revision(bind: Engine | Connection) -> str | None:
    """The revision the database is at (None for an empty database), on an engine or a connection."""
    if isinstance(bind, Connection):
        if not inspect(bind).has_table("alembic_version"):
            return None
        return bind.execute(text("SELECT version_num FROM alembic_version")).scalar()
    with bind.connect() as connection:
        return current_revision(connection)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _run(command.upgrade, engine, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    _run(command.downgrade, engine, revision)


def _run(action: Callable[[Config, str], None], engine: Engine, revision: str) -> None:
    from alembic.util.exc import CommandError

    try:
        action(alembic_config(engine), revision)
    except CommandError as exc:
        raise DatabaseError(f"migration to {revision!r} failed: {exc}") from exc


def require_current_schema(engine: Engine) -> None:
    """Raise :class:`SchemaError` unless the database is at the newest revision."""
    current = current_revision(engine)
    if current == SCHEMA_REVISION:
        return
    from alembic.script import ScriptDirectory

    head = head_revision()
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
    return describe_url(engine.url)
