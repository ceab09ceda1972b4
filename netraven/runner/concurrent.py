"""The hosts of a run the runner does not give Nornir: a :class:`ConcurrentJobType`'s asyncio pass,
and the hosts a run skips without touching (open circuit, unreachable for long).

Both end as :class:`~netraven.runner.record.HostRecord` objects handed to the results processor,
as a Nornir host's would: the same JobResult and JobLog rows, statuses and counts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result

from netraven.db.base import utcnow
from netraven.exceptions import DeviceError
from netraven.inventory.circuit import Skip
from netraven.jobs.concurrent import ConcurrentJobType
from netraven.runner.capture import HostCapture
from netraven.runner.host_task import HostSkipped
from netraven.runner.record import HostRecord
from netraven.settings import Settings

Deliver = Callable[[HostRecord], None]


def skipped_record(skip: Skip) -> HostRecord:
    """The record of a host the run skips: status ``skipped``, kind and message from ``skip``."""
    at = utcnow()
    return HostRecord(
        skip.hostname, skip.device_id, skip.platform, "skipped", skip.kind, skip.message, at, at, 0.0
    )


def run_concurrent_hosts(
    hosts: Mapping[str, Host],
    job: ConcurrentJobType,
    job_type: str,
    params: dict[str, Any],
    settings: Settings,
    deliver: Deliver,
    stop: threading.Event | None = None,
) -> None:
    """Await ``job.check`` on every host of ``hosts`` in one event loop, delivering each host's record.

    At most ``job.concurrency(...)`` hosts at once; each is stopped after
    ``connection.host_time_limit`` (kind ``timeout``); once ``stop`` is set, hosts not yet started
    are skipped. The loop runs in a thread of its own, so a caller whose thread already runs an
    event loop (an async application, a notebook, Playwright's sync API) is served too.
    """
    failure: list[BaseException] = []

    def loop() -> None:
        try:
            asyncio.run(_all(list(hosts.values()), job, job_type, params, settings, deliver, stop))
        except BaseException as exc:  # raised in the caller's thread, as if it ran there
            failure.append(exc)

    thread = threading.Thread(target=loop, name=f"{job_type}-hosts", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def _all(
    hosts: list[Host], job: ConcurrentJobType, job_type: str, params: dict[str, Any], settings: Settings,
    deliver: Deliver, stop: threading.Event | None,
) -> None:  # fmt: skip
    capture = HostCapture()
    slots = asyncio.Semaphore(max(1, job.concurrency(settings, params)))
    limit = settings.connection.host_time_limit

    async def one(host: Host) -> None:
        async with slots:
            capture.started(host)
            try:
                if stop is not None and stop.is_set():
                    raise HostSkipped("not started: the run was stopped")
                value = await asyncio.wait_for(job.check(host, **params), limit)
                result = Result(host=host, result=value)
            except TimeoutError:
                why = f"{host.name}: stopped after the per-host time limit of {limit:g} s"
                result = _failed(host, DeviceError(why, "timeout", host.name))
            except Exception as exc:  # classified with the host's record, like a Nornir task's
                result = _failed(host, exc)
            multi = MultiResult(job_type)
            multi.append(result)
            deliver(capture.finished(host, multi))

    await asyncio.gather(*(one(host) for host in hosts))


def _failed(host: Host, exc: BaseException) -> Result:
    return Result(host=host, failed=True, exception=exc)
