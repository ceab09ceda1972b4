"""Notification hooks: a JSON line per changed config, and one log line per finished run."""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import UTC, datetime

from netraven import hookimpl
from netraven.jobs import DeviceInfo, RunInfo, RunSummary

CHANGES_FILE_ENV = "NETRAVEN_UPTIME_CHANGES_FILE"

log = logging.getLogger("netraven_uptime")
_write_lock = threading.Lock()  # the hook fires from the results processor's threads


@hookimpl
def netraven_config_changed(device: DeviceInfo, old: str | None, diff: str) -> None:
    """Append ``{"hostname", "diff_lines", ...}`` to ``$NETRAVEN_UPTIME_CHANGES_FILE``, if set.

    Only the size of the change is written, never the configuration: a notification can travel
    further than the config store should.
    """
    path = os.environ.get(CHANGES_FILE_ENV)
    if not path:
        return
    record = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "hostname": device.hostname,
        "platform": device.platform,
        "first_version": old is None,
        "diff_lines": count_changed_lines(diff),
    }
    with _write_lock, open(path, "a", encoding="utf-8") as changes:
        changes.write(json.dumps(record) + "\n")


@hookimpl
def netraven_run_finished(run: RunInfo, summary: RunSummary) -> None:
    """Log one line per finished run (logger ``netraven_uptime``, level INFO)."""
    log.info(
        "run %s (%s) %s: %s/%s hosts succeeded, %s failed",
        run.run_id,
        run.job_type,
        summary.status,
        summary.hosts_succeeded,
        summary.hosts_total,
        summary.hosts_failed,
    )


def count_changed_lines(diff: str) -> int:
    """Lines added or removed in a unified diff, its ``---``/``+++`` headers not counted."""
    return sum(
        1 for line in diff.splitlines() if line[:1] in ("+", "-") and not line.startswith(("+++", "---"))
    )
