"""The job-type contract: what a plugin implements so NetRaven can run a new kind of job.

A job type declares its ``name``, ``description`` and ``parameters``. For each run the runner makes
one instance, validates the parameters with :meth:`JobType.validate`, calls :meth:`JobType.prepare`,
runs :meth:`JobType.task` on every target host through Nornir (in threads: keep it free of shared
state), calls :meth:`JobType.handle_result` once per host, in the results processor, to persist
what the job produced, and finally :meth:`JobType.finish` once::

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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from netraven.jobs.parameters import Parameter, validate_parameters

if TYPE_CHECKING:
    from nornir.core.task import MultiResult, Result, Task
    from sqlalchemy.orm import Session, sessionmaker

    from netraven.jobs.events import RunInfo
    from netraven.redaction import Redactor
    from netraven.settings import Settings


@dataclass
class RunContext:
    """What :meth:`JobType.prepare` and :meth:`JobType.finish` get: the run, as a whole.

    ``session`` is an open transaction the runner commits after the call (do not commit it).
    """

    session: Session
    settings: Settings
    run: RunInfo


@dataclass(frozen=True)
class RunServices:
    """What ``netraven_run_finished`` gets besides the run: its settings, and ``sessions``, a session
    factory on the run's database (the run's rows are committed: read them, or keep rows of your own)."""

    settings: Settings
    sessions: sessionmaker[Session]


@dataclass
class HostContext:
    """What :meth:`JobType.handle_result` gets for one host.

    ``session`` is the results processor's open transaction for this host (do not commit it);
    ``result`` is the host's Nornir result (``result[0]`` is what :meth:`JobType.task` returned);
    ``redactor`` masks this host's secrets and must be applied to anything stored or logged.
    """

    session: Session
    settings: Settings
    run: RunInfo
    device_id: int
    hostname: str
    platform: str
    result: MultiResult
    redactor: Redactor
    notifications: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Fire the notification hook ``hook_name`` (e.g. ``netraven_config_changed``) for this host.

        The hook fires once the host's rows are committed, never for a result that was rolled back.
        A ``run`` argument defaults to this host's run.
        """
        self.notifications.append((hook_name, {"run": self.run, **kwargs}))


class JobType(abc.ABC):
    """Base class of every job type; one instance serves one run."""

    name: ClassVar[str]  # unique among all plugins: "backup", "command"
    description: ClassVar[str] = ""
    parameters: ClassVar[dict[str, Parameter]] = {}
    #: True when :meth:`task` needs nothing but its parameters and the settings (no state from
    #: :meth:`prepare`): a large run may then split its hosts over several processes, each
    #: calling :meth:`task` on an instance of its own. :meth:`handle_result` always runs in the
    #: run's own process.
    shardable: ClassVar[bool] = False
    #: True when :meth:`task` logs in to devices: its runs skip devices whose circuit is open (or
    #: unreachable for long, see ``reachability.skip_unreachable_after``), and its hosts'
    #: connection and timeout failures count toward opening their circuits.
    logs_in: ClassVar[bool] = True
    #: True when, besides being ``shardable``, :meth:`prepare` sets up only what one process needs
    #: (it is called in each process that stores hosts), :meth:`handle_result` needs nothing else,
    #: and :meth:`finish` works from its context and the database alone (it is called on an instance
    #: of its own, without :meth:`prepare`): a large run may then be spread as queue tasks over
    #: workers on several machines (``runner.shard_size``), each storing its own hosts, the last of
    #: them calling :meth:`finish`.
    distributable: ClassVar[bool] = False

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

    def prepare(self, context: RunContext) -> None:  # noqa: B027  # optional, unlike task()
        """Called once before the first host's task: set up what the run's hosts share."""

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        """Persist what the task produced for one (succeeded) host; return a JSON-able summary.

        The summary becomes the JobResult's ``output``. Raising a
        :class:`~netraven.exceptions.DeviceError` (say, output that is not a config) fails the
        host with that error's kind, and rolls back what this call stored.
        """
        return {}

    def finish(self, context: RunContext) -> str | None:
        """Called once after every host is done; returns a line for the run's message, or None.

        A distributed run (see :attr:`distributable`) calls it on an instance :meth:`prepare` never saw.
        """
        return None
