"""netraven-plugin-uptime: an example third-party NetRaven plugin.

NetRaven loads this module through the ``netraven.plugins`` entry point ``uptime`` (see setup.py)
and registers it with pluggy: every function below marked ``@hookimpl`` is a hook implementation.
"""

from netraven import hookimpl
from netraven.jobs import JobType
from netraven_uptime.job import Uptime
from netraven_uptime.notify import netraven_config_changed, netraven_run_finished

__all__ = ["Uptime", "netraven_config_changed", "netraven_register_job_types", "netraven_run_finished"]


@hookimpl
def netraven_register_job_types() -> list[type[JobType]]:
    """The ``uptime`` job type."""
    return [Uptime]
