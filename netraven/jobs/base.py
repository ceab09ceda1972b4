"""The job-type contract: what a plugin implements so NetRaven can run a new kind of job.

A job type declares its ``name``, ``description`` and ``parameters``; the runner validates a job's
parameters with :meth:`JobType.validate`, runs :meth:`JobType.task` on every target host through
Nornir (in threads: keep it free of shared state), then calls :meth:`JobType.handle_result` once
per host, in the results processor, to persist what the job produced::

    class Uptime(JobType):
        name = "uptime"
        description = "Record each device's uptime."
        parameters = {"command": Parameter(str, default="show version")}

        def task(self, task: Task, **params: Any) -> Result:
            return task.run(netmiko_send_command, command_string=params["command"])[0]
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from netraven.jobs.parameters import Parameter, validate_parameters

if TYPE_CHECKING:
    from nornir.core.task import MultiResult, Result, Task
    from pluggy import HookRelay
    from sqlalchemy.orm import Session

    from netraven.jobs.events import RunInfo
    from netraven.redaction import Redactor
    from netraven.settings import Settings


@dataclass
class HostContext:
    """What :meth:`JobType.handle_result` gets for one host.

    ``session`` is the results processor's open transaction (do not commit it); ``redactor``
    masks this host's secrets and must be applied to anything stored or logged; ``hook`` fires
    hooks such as ``netraven_config_changed``.
    """

    session: Session
    settings: Settings
    run: RunInfo
    device_id: int
    hostname: str
    platform: str
    result: MultiResult | Result
    redactor: Redactor
    hook: HookRelay


class JobType(abc.ABC):
    """Base class of every job type; one instance serves one run."""

    name: ClassVar[str]  # unique among all plugins: "backup", "command"
    description: ClassVar[str] = ""
    parameters: ClassVar[dict[str, Parameter]] = {}

    @classmethod
    def validate(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """``raw`` parameters (CLI strings or JSON values) coerced to the declared types, with defaults.

        Raises a one-line :class:`~netraven.exceptions.JobError` naming the parameter, the value
        and what was expected, for an unknown, missing or invalid parameter.
        """
        return validate_parameters(cls.name, cls.parameters, raw)

    @abc.abstractmethod
    def task(self, task: Task, **params: Any) -> Result:
        """The Nornir task run on each host with the validated parameters."""

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        """Persist what the task produced for one host; return a JSON-able summary for its JobResult."""
        return {}
