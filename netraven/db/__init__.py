"""Database: models, engine and session factories, migrations."""

from netraven.db.base import Base, utcnow
from netraven.db.session import (
    create_engine_for_url,
    create_engine_from_settings,
    create_session_factory,
    open_session,
)

__all__ = [
    "Base",
    "create_engine_for_url",
    "create_engine_from_settings",
    "create_session_factory",
    "open_session",
    "utcnow",
]
