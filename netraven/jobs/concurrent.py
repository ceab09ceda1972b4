"""Job types whose hosts are one asyncio pass in the run's process, not one Nornir thread each.

For work that waits on the network and holds no session (a TCP connect, a ping), thousands of
hosts fit in one event loop where Nornir would need as many threads. The runner awaits
:meth:`ConcurrentJobType.check` for every target host, at most :meth:`~ConcurrentJobType.concurrency`
at once; each host's result or exception becomes its record exactly as a Nornir task's would
(:meth:`~netraven.jobs.base.JobType.handle_result` for the hosts that succeeded, a JobResult for
every host).
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any

from netraven.jobs.base import JobType

if TYPE_CHECKING:
    from nornir.core.inventory import Host
    from nornir.core.task import Result, Task

    from netraven.settings import Settings


class ConcurrentJobType(JobType):
    """A job type checked host by host in one event loop; raise a ``DeviceError`` to fail a host."""

    @abc.abstractmethod
    async def check(self, host: Host, **params: Any) -> Any:
        """Check ``host`` with the validated parameters; what it returns is the host's result."""

    def concurrency(self, settings: Settings, params: dict[str, Any]) -> int:
        """Hosts checked at once."""
        return settings.runner.num_workers

    def task(self, task: Task, **params: Any) -> Result:
        """The same check as a Nornir task, for a Nornir script of one's own."""
        import asyncio

        from nornir.core.task import Result

        return Result(host=task.host, result=asyncio.run(self.check(task.host, **params)))
