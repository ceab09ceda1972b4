"""NetRaven: network configuration backup and automation on Nornir.

The public API: :func:`load_settings`, :func:`open_nornir`, :func:`open_session`, :func:`run_job`
over :class:`Targets`, the :class:`JobType` contract, the error tree in :mod:`netraven.exceptions`,
and one package per aggregate (:mod:`netraven.inventory`, :mod:`netraven.credentials`,
:mod:`netraven.configs`, :mod:`netraven.jobs`, :mod:`netraven.logs`); docs/library.md shows them in use.
"""

from typing import TYPE_CHECKING

from netraven._version import __version__
from netraven.exceptions import NetRavenError
from netraven.lazy import lazy_exports

if TYPE_CHECKING:
    from netraven.db.session import open_session
    from netraven.hookspecs import hookimpl
    from netraven.jobs.base import JobType
    from netraven.jobs.targets import Targets
    from netraven.nornir_factory import open_nornir
    from netraven.runner.execute import run_job
    from netraven.settings import Settings, load_settings

__all__ = [
    "JobType",
    "NetRavenError",
    "Settings",
    "Targets",
    "__version__",
    "hookimpl",
    "load_settings",
    "open_nornir",
    "open_session",
    "run_job",
]

_LAZY = {
    "JobType": "netraven.jobs.base",
    "Settings": "netraven.settings",
    "hookimpl": "netraven.hookspecs",
    "load_settings": "netraven.settings",
    "Targets": "netraven.jobs.targets",
    "open_nornir": "netraven.nornir_factory",
    "open_session": "netraven.db.session",
    "run_job": "netraven.runner.execute",
}

__getattr__ = lazy_exports(__name__, _LAZY)
