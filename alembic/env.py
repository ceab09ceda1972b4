"""Alembic environment: runs on the engine NetRaven passes in, or on NetRaven's settings."""

from __future__ import annotations

from sqlalchemy import Engine

import netraven.db.models  # noqa: F401  (registers every table on the metadata)
from alembic import context
from netraven.db.base import Base
from netraven.db.session import create_engine_from_settings
from netraven.settings import load_settings

target_metadata = Base.metadata


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    return engine if engine is not None else create_engine_from_settings(load_settings())


def run_migrations_online() -> None:
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("NetRaven migrations run online only: use 'netraven db upgrade'")
run_migrations_online()
