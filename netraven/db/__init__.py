"""Database: models, engine and session factories, migrations.

The names below are imported on first use, so that the ORM-free modules (:mod:`.core`,
:mod:`.session`'s engines, :mod:`.migrate`'s schema check) cost no ORM import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netraven.lazy import lazy_exports

if TYPE_CHECKING:
    from netraven.db.base import Base
    from netraven.db.core import utcnow
    from netraven.db.session import (
        create_engine_for_url,
        create_engine_from_settings,
        create_session_factory,
        open_session,
    )

_HOMES = {
    "Base": "netraven.db.base",
    "utcnow": "netraven.db.core",
    "create_engine_for_url": "netraven.db.session",
    "create_engine_from_settings": "netraven.db.session",
    "create_session_factory": "netraven.db.session",
    "open_session": "netraven.db.session",
}

__all__ = [
    "Base",
    "create_engine_for_url",
    "create_engine_from_settings",
    "create_session_factory",
    "open_session",
    "utcnow",
]

__getattr__ = lazy_exports(__name__, _HOMES)
