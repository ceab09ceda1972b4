"""Job types for the scheduler tests, so they do not depend on the built-in ones."""

from __future__ import annotations

from typing import Any

from nornir.core.task import Result, Task

from netraven import hookimpl
from netraven.jobs import JobType, JobTypeRegistry, Parameter
from netraven.plugins import NetRavenPluginManager, create_plugin_manager


class Backup(JobType):
    """Stands in for the built-in backup: no required parameter."""

    name = "backup"
    description = "Pretend to back up."
    parameters = {"retries": Parameter(int, default=1)}

    def task(self, task: Task, **params: Any) -> Result:
        return Result(host=task.host, result="ok")


class Command(JobType):
    """Stands in for the built-in command job type: a required list parameter."""

    name = "command"
    description = "Pretend to run commands."
    parameters = {"commands": Parameter(list[str], required=True, help="commands to run")}

    def task(self, task: Task, **params: Any) -> Result:
        return Result(host=task.host, result=params["commands"])


class SchedulerTestPlugin:
    @hookimpl
    def netraven_register_job_types(self) -> list[type[JobType]]:
        return [Backup, Command]


def plugin_manager() -> NetRavenPluginManager:
    """A fresh plugin manager with only the test job types (no entry points)."""
    return create_plugin_manager(disabled=(), entry_points=False, plugins=[SchedulerTestPlugin()])


def registry() -> JobTypeRegistry:
    return plugin_manager().job_types
