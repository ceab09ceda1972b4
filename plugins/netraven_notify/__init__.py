"""NetRaven's built-in notifications, registered through the ``netraven.plugins`` entry point like
any plugin: config changes, failed runs, devices failing runs in a row and back to normal, sent by
email and webhooks as rules in ``settings.notifications`` say (docs/notifications.md).

``netraven_config_changed`` only remembers the change; ``netraven_run_finished`` (the run's rows
are committed) turns the run into events, records a delivery per event and channel and hands
them to this process's sending threads. Nothing here waits on the network.
"""

from __future__ import annotations

import threading

from netraven import hookimpl
from netraven.jobs.base import RunServices
from netraven.jobs.events import DeviceInfo, RunInfo, RunSummary
from netraven_notify.events import ConfigChange
from netraven_notify.plan import notify_run
from netraven_notify.sender import Sender

__all__ = ["netraven_config_changed", "netraven_run_finished", "wait_for_deliveries"]


class _Pending:
    """Config changes of runs still going, by run id (hosts report from the results thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changes: dict[int, list[ConfigChange]] = {}

    def add(self, run_id: int, change: ConfigChange) -> None:
        with self._lock:
            self._changes.setdefault(run_id, []).append(change)

    def pop(self, run_id: int) -> list[ConfigChange]:
        with self._lock:
            return self._changes.pop(run_id, [])


_pending = _Pending()
_sender = Sender()  # threads start with the first delivery


@hookimpl
def netraven_config_changed(
    device: DeviceInfo, old: str | None, diff: str, run: RunInfo, version: int
) -> None:
    """Remember the change until its run finishes; a device's first version is no change."""
    if old is not None:
        _pending.add(run.run_id, ConfigChange(device, version, diff))


@hookimpl
def netraven_run_finished(run: RunInfo, summary: RunSummary, services: RunServices) -> None:
    """Queue the run's notifications."""
    notify_run(run, summary, services, _pending.pop(run.run_id), _sender)


def wait_for_deliveries(timeout: float) -> int:
    """Wait up to ``timeout`` seconds for this process's deliveries to end; how many are still open."""
    return len(_sender.wait(timeout))
