"""The events a run can cause, as messages: a subject, summary lines, a preformatted block (a
diff, failing hosts) and the command that shows more. Channels render them as text, Markdown or HTML."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netraven.jobs.events import DeviceInfo, RunInfo, RunSummary


@dataclass(frozen=True)
class Event:
    """One thing to tell; ``device_ids`` are the devices it is about (rules filter on their tags)."""

    name: str
    subject: str
    lines: tuple[str, ...] = ()
    block: str = ""
    more: str = ""  # one line: how to see the rest
    run_id: int | None = None
    device_id: int | None = None
    device_ids: tuple[int, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def plain(self) -> str:
        return "\n\n".join(part for part in ("\n".join(self.lines), self.block, self.more) if part)

    def markdown(self) -> str:
        """Slack, Mattermost and Teams read this: a bold subject, the block fenced as code."""
        block = f"```\n{self.block}\n```" if self.block else ""
        return "\n".join(part for part in (f"*{self.subject}*", *self.lines, block, self.more) if part)

    def html(self) -> str:
        parts = [f"<p><strong>{html.escape(self.subject)}</strong></p>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in self.lines]
        if self.block:
            parts.append(f"<pre>{html.escape(self.block)}</pre>")
        if self.more:
            parts.append(f"<p><em>{html.escape(self.more)}</em></p>")
        return "<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body: ``text`` for chat tools, the event's fields for scripts."""
        return {"text": self.markdown(), "event": self.name, "subject": self.subject, **self.data}


@dataclass(frozen=True)
class ConfigChange:
    """What ``netraven_config_changed`` said about one device of a run."""

    device: DeviceInfo
    version: int
    diff: str


@dataclass(frozen=True)
class Failure:
    """A failed host of a run."""

    hostname: str
    device_id: int | None
    kind: str | None
    message: str


def config_changed(change: ConfigChange, run: RunInfo, job: str | None, max_lines: int) -> Event:
    device = change.device
    lines = change.diff.rstrip("\n").splitlines()
    block = "\n".join(lines[:max_lines])
    more = ""
    if len(lines) > max_lines:
        left = len(lines) - max_lines
        more = f"{left} more line{'s' * (left != 1)}: netraven config diff {device.hostname} "
        more += f"{change.version - 1} {change.version}" if change.version > 1 else ""
        more = more.rstrip()
    return Event(
        "config_changed",
        f"netraven: {device.hostname} config changed (version {change.version})",
        (
            f"{device.hostname} ({device.platform}): version {change.version} stored by "
            f"run {run.run_id}{_by(run, job)}.",
        ),
        block,
        more,
        run.run_id,
        device.id,
        (device.id,),
        {
            "device": device.hostname,
            "platform": device.platform,
            "version": change.version,
            "run_id": run.run_id,
        },
    )


def run_failed(
    run: RunInfo,
    summary: RunSummary,
    job: str | None,
    failures: Sequence[Failure],
    kinds: Mapping[str, int],
    shown: int,
    message: str = "",
) -> Event:
    by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    listed = failures[:shown]
    block = "\n".join(f"{f.hostname}: {f.kind or 'error'}: {f.message}" for f in listed)
    left = summary.hosts_failed - len(listed)
    more = f"{left} more failing host{'s' * (left != 1)}: netraven run show {run.run_id}" if left > 0 else ""
    skipped = summary.hosts_total - summary.hosts_succeeded - summary.hosts_failed
    return Event(
        "run_failed",
        f"netraven: run {run.run_id} ({run.job_type}) {summary.status}: "
        f"{summary.hosts_failed} of {summary.hosts_total} hosts failed",
        (
            f"Run {run.run_id}{_by(run, job)} ended {summary.status}: {summary.hosts_succeeded} succeeded, "
            f"{summary.hosts_failed} failed, {skipped} skipped.",
            *([f"Failures by kind: {by_kind}."] if by_kind else []),
            *([f"Run message: {message}"] if message else []),
        ),
        block,
        more or f"netraven run show {run.run_id}",
        run.run_id,
        None,
        tuple(f.device_id for f in failures if f.device_id is not None),
        {
            "run_id": run.run_id,
            "job_type": run.job_type,
            "job": job,
            "status": summary.status,
            "hosts_total": summary.hosts_total,
            "hosts_succeeded": summary.hosts_succeeded,
            "hosts_failed": summary.hosts_failed,
            "failures_by_kind": dict(kinds),
            "failing_hosts": [f.hostname for f in listed],
            "message": message or None,
        },
    )


def device_failing(run: RunInfo, failure: Failure, runs: int) -> Event:
    return Event(
        "device_failing",
        f"netraven: {failure.hostname} failed {runs} {run.job_type} runs in a row",
        (f"{failure.hostname} failed its last {runs} {run.job_type} runs, the latest run {run.run_id}.",),
        f"{failure.kind or 'error'}: {failure.message}",
        f"netraven run show {run.run_id}",
        run.run_id,
        failure.device_id,
        (failure.device_id,) if failure.device_id is not None else (),
        {"device": failure.hostname, "job_type": run.job_type, "runs": runs, "run_id": run.run_id},
    )


def device_recovered(run: RunInfo, hostname: str, device_id: int, runs: int) -> Event:
    return Event(
        "device_recovered",
        f"netraven: {hostname} is back to normal",
        (
            f"{hostname} succeeded in {run.job_type} run {run.run_id} "
            f"after failing at least {runs} runs in a row.",
        ),
        run_id=run.run_id,
        device_id=device_id,
        device_ids=(device_id,),
        data={"device": hostname, "job_type": run.job_type, "run_id": run.run_id},
    )


def probe_event(channel: str) -> Event:
    return Event(
        "test",
        "netraven: test notification",
        (f"A test message to channel {channel!r}: if you read this, the channel works.",),
        data={"channel": channel},
    )


def _by(run: RunInfo, job: str | None) -> str:
    return f" ({run.job_type}, job {job})" if job else f" ({run.job_type})"
