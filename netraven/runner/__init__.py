"""The runner: a job run is a Nornir run over the job's targets, persisted host by host.

See :func:`run_job` (create a run and run it now) and :func:`execute_run` (run a queued run).
Imported on first use: a shard process (``python -m netraven.runner.shard_child``) or
:mod:`netraven.runner.spawn` loads only what it needs.
"""

from typing import TYPE_CHECKING

from netraven.lazy import lazy_exports

if TYPE_CHECKING:
    from netraven.runner.execute import RunReport, execute_run, run_job

__all__ = ["RunReport", "execute_run", "run_job"]

__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "netraven.runner.execute"))
