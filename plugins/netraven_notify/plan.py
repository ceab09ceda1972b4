"""From a finished run to queued deliveries: its events, the rules they match, one delivery log
row per event and channel (however many rules match it), then the sender."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from netraven.credentials.named import read_secrets
from netraven.credentials.vault import load_vault
from netraven.exceptions import NetRavenError
from netraven.jobs.base import RunServices
from netraven.jobs.events import RunInfo, RunSummary
from netraven.notifications import NewDelivery, finish_delivery, queue_deliveries
from netraven_notify import facts
from netraven_notify.config import EVENTS, NotifyConfig, load_config
from netraven_notify.events import (
    ConfigChange,
    Event,
    config_changed,
    device_failing,
    device_recovered,
    run_failed,
)
from netraven_notify.sender import Delivery, Sender

log = logging.getLogger("netraven.notify")


def notify_run(
    run: RunInfo, summary: RunSummary, services: RunServices, changes: Sequence[ConfigChange], sender: Sender
) -> list[int]:
    """Queue the run's notifications; the delivery log ids queued."""
    settings = services.settings.notifications
    config = load_config(settings)
    if not config.rules:
        return []
    with services.sessions.begin() as session:
        job = facts.job_name(session, run.job_id)
        events = run_events(session, run, summary, job, changes, config, services)
        matched = match(session, events, config, job)
        ids = queue_deliveries(session, (delivery for _, delivery in matched))
    secrets, missing = _secrets(services, config, {delivery.channel for _, delivery in matched})
    for (event, delivery), delivery_id in zip(matched, ids, strict=True):
        channel = config.channels[delivery.channel]
        if channel.name in missing:
            finish_delivery(services.sessions, delivery_id, 0, missing[channel.name])
            continue
        sender.submit(Delivery(delivery_id, channel, event, secrets, settings, services.sessions))
    return ids


def run_events(
    session: Session,
    run: RunInfo,
    summary: RunSummary,
    job: str | None,
    changes: Sequence[ConfigChange],
    config: NotifyConfig,
    services: RunServices,
) -> list[Event]:
    """Every event of the run some rule asks for (no query for events no rule names)."""
    wanted = {event for rule in config.rules for event in (rule.events or EVENTS)}
    settings = services.settings.notifications
    events: list[Event] = []
    if "config_changed" in wanted:
        events += [config_changed(change, run, job, settings.diff_lines) for change in changes]
    if "run_failed" in wanted and summary.status in ("failed", "partial"):
        failures, kinds = facts.run_failures(session, run.run_id)
        message = facts.run_message(session, run.run_id)
        events.append(run_failed(run, summary, job, failures, kinds, settings.failing_hosts, message))
    if wanted & {"device_failing", "device_recovered"}:
        streaks = facts.streaks(session, run, settings.failing_runs)
        if "device_failing" in wanted:
            events += [device_failing(run, failure, settings.failing_runs) for failure in streaks.failing]
        if "device_recovered" in wanted:
            events += [
                device_recovered(run, name, device_id, settings.failing_runs)
                for name, device_id in streaks.recovered
            ]
    return events


def match(
    session: Session, events: Iterable[Event], config: NotifyConfig, job: str | None
) -> list[tuple[Event, NewDelivery]]:
    """(event, delivery) for each channel some rule sends each event to, once per channel."""
    events = list(events)
    tags = facts.tags_of(session, (device_id for event in events for device_id in event.device_ids))
    matched = []
    for event in events:
        event_tags = set().union(*(tags.get(device_id, set()) for device_id in event.device_ids))
        channels: dict[str, str] = {}
        for rule in config.rules:
            if rule.matches(event.name, event_tags, job):
                for channel in rule.channels:
                    channels.setdefault(channel, rule.name)
        for channel, rule_name in channels.items():
            delivery = NewDelivery(
                event.name, channel, event.subject, rule_name, event.run_id, event.device_id
            )
            matched.append((event, delivery))
    return matched


def _secrets(
    services: RunServices, config: NotifyConfig, channels: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The secrets the channels need, and why each channel whose secrets cannot be read is skipped."""
    values: dict[str, str] = {}
    missing: dict[str, str] = {}
    needed = {name: config.channels[name].secrets for name in channels}
    if not any(needed.values()):
        return values, missing
    try:
        vault = load_vault(services.settings)
    except NetRavenError as exc:
        return values, {name: str(exc) for name, wanted in needed.items() if wanted}
    for name, wanted in needed.items():
        try:
            with services.sessions() as session:
                values.update(read_secrets(session, vault, wanted))
        except NetRavenError as exc:
            log.warning("notification channel %s: %s", name, exc)
            missing[name] = str(exc)
    return values, missing
