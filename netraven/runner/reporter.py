"""The results reporter: once a host's rows are committed, its outcome, hooks and progress callback."""

from __future__ import annotations

import logging
from collections.abc import Callable

from netraven.jobs.events import HostOutcome, RunInfo
from netraven.plugins import NetRavenPluginManager, notify
from netraven.runner.writer import Notifications

log = logging.getLogger("netraven.runner")


class Reporter:
    """Counts each host of run ``run`` in ``outcomes`` and tells the plugins and ``on_host`` about it.

    Called from the results writer's thread only, so never from two threads at once. Never raises:
    a failing hook implementation or callback is logged, and the host still counts.
    """

    def __init__(
        self,
        run: RunInfo,
        plugin_manager: NetRavenPluginManager,
        on_host: Callable[[HostOutcome], None] | None = None,
    ) -> None:
        self.run = run
        self.plugin_manager = plugin_manager
        self.on_host = on_host
        self.outcomes: dict[str, HostOutcome] = {}

    def report(self, outcome: HostOutcome, notifications: Notifications) -> None:
        """The host's outcome, then the hooks its result handler asked for, ``netraven_host_completed``
        and ``on_host``."""
        self.outcomes[outcome.hostname] = outcome
        for hook_name, kwargs in notifications:
            notify(self.plugin_manager, hook_name, **kwargs)
        notify(self.plugin_manager, "netraven_host_completed", run=self.run, host=outcome)
        if self.on_host is not None:
            try:
                self.on_host(outcome)
            except Exception:
                log.exception("run %s: the per-host callback failed", self.run.run_id)
