"""Job types: the contract a job type implements, and the plain data passed to hooks.

A job type is a :class:`JobType` subclass returned by a plugin's ``netraven_register_job_types``
hook (see :mod:`netraven.hookspecs`); the built-in ones live in ``netraven_jobs``.
"""

from netraven.jobs.base import HostContext, JobType, RunContext
from netraven.jobs.events import DeviceInfo, HostOutcome, HostStatus, RunInfo, RunStatus, RunSummary
from netraven.jobs.parameters import Parameter, parse_assignments

__all__ = [
    "DeviceInfo",
    "HostContext",
    "HostOutcome",
    "HostStatus",
    "JobType",
    "Parameter",
    "RunContext",
    "RunInfo",
    "RunStatus",
    "RunSummary",
    "parse_assignments",
]
