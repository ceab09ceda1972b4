"""NetRaven: network configuration backup and automation on Nornir.

The public API: :func:`load_settings`, :func:`open_nornir`, :func:`open_session`, the error tree in
:mod:`netraven.exceptions`, and the inventory functions in :mod:`netraven.inventory`.
"""

from typing import TYPE_CHECKING, Any

from netraven._version import __version__
from netraven.exceptions import NetRavenError
from netraven.hookspecs import hookimpl
from netraven.settings import Settings, load_settings

if TYPE_CHECKING:
    from netraven.db.session import open_session
    from netraven.nornir_factory import open_nornir

__all__ = [
    "NetRavenError",
    "Settings",
    "__version__",
    "hookimpl",
    "load_settings",
    "open_nornir",
    "open_session",
]

_LAZY = {"open_nornir": "netraven.nornir_factory", "open_session": "netraven.db.session"}


def __getattr__(name: str) -> Any:
    """Import heavy parts (Nornir, SQLAlchemy) only when first used."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'netraven' has no attribute {name!r}")
