"""The runner: a job run is a Nornir run over the job's targets, persisted host by host.

See :func:`run_job` (create a run and run it now) and :func:`execute_run` (run a queued run).
"""

from netraven.runner.execute import RunReport, execute_run, run_job

__all__ = ["RunReport", "execute_run", "run_job"]
