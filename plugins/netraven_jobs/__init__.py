"""NetRaven's built-in job types, registered through the ``netraven.plugins`` entry point.

They are plugins like any other: a site's own job types register the same way (see
``examples/netraven-plugin-uptime``).
"""

from netraven import hookimpl
from netraven.jobs import JobType
from netraven_jobs.backup import Backup
from netraven_jobs.command import Command
from netraven_jobs.reachability import Reachability

__all__ = ["Backup", "Command", "Reachability", "netraven_register_job_types"]


@hookimpl
def netraven_register_job_types() -> list[type[JobType]]:
    """``backup``, ``command`` and ``reachability``."""
    return [Backup, Command, Reachability]
