"""Toy plugins for the plugin-manager tests."""

from __future__ import annotations

from typing import Any

from nornir.core.task import Result, Task

from netraven import hookimpl
from netraven.jobs import HostContext, JobType, Parameter


class Echo(JobType):
    """Says what it was told, without touching the device."""

    name = "echo"
    description = "Repeat a message for each host."
    parameters = {
        "message": Parameter(str, required=True, help="what to say"),
        "times": Parameter(int, default=1),
        "shout": Parameter(bool, default=False),
        "ratio": Parameter(float, default=0.5),
        "tags": Parameter(list[str], default=[], choices=["core", "edge"]),
        "mode": Parameter(str, default="plain", choices=["plain", "fancy"]),
    }

    def task(self, task: Task, **params: Any) -> Result:
        text = " ".join([params["message"]] * params["times"])
        return Result(host=task.host, result=text.upper() if params["shout"] else text)

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        return {"said": context.result[0].result}


class GoodPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [Echo]


class DuplicatePlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [Echo]


class MisspelledPlugin:
    @hookimpl
    def netraven_run_finshed(self, run: object, summary: object) -> None:
        """Misspelled: run_finshed."""


class NotAJobTypePlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[object]:
        return [dict]


class NamelessPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        class Nameless(JobType):
            def task(self, task: Task, **params: Any) -> Result:
                return Result(host=task.host)

        return [Nameless]


class LifecyclePlugin:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    @hookimpl
    def netraven_run_started(self, run: object) -> None:
        self.calls.append(("started", run))

    @hookimpl
    def netraven_run_finished(self, summary: object) -> None:  # fewer arguments than the spec
        self.calls.append(("finished", summary))


# Entry points name an object: usually a module, here instances.
good_plugin = GoodPlugin()
duplicate_plugin = DuplicatePlugin()
misspelled_plugin = MisspelledPlugin()


class UnmarkedPlugin:
    def netraven_run_started(self, run: object) -> None:
        """Forgot @hookimpl: would silently never be called."""


class FailingNotifier:
    @hookimpl
    def netraven_run_started(self, run: object) -> None:
        raise RuntimeError("mail server down\nsecond line")
