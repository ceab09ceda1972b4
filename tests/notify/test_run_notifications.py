"""Runs over simulated devices notify a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from netraven.credentials.named import set_secret
from netraven.db.models import Device, NotificationDelivery
from netraven.jobs import Targets
from netraven.plugins import NetRavenPluginManager
from netraven.runner import run_job
from netraven.settings import Settings
from netraven_notify import wait_for_deliveries
from tests.notify.conftest import Mailbox, Receiver, free_port, notify_settings

SNMP_SECRET = "Zebra-Secret-77"


def channels(receiver: Receiver, smtp_port: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"hook": {"type": "webhook", "url": receiver.url}}
    if smtp_port is not None:
        found["mail"] = {
            "type": "email",
            "host": "127.0.0.1",
            "port": smtp_port,
            "security": "none",
            "sender": "netraven@example.net",
            "to": ["ops@example.net"],
        }
    return found


def deliveries(engine: Engine) -> list[NotificationDelivery]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id)))


def backup(engine: Engine, settings: Settings, pm: NetRavenPluginManager) -> Any:
    return run_job("backup", Targets.of(all=True), settings=settings, engine=engine, plugin_manager=pm)


def test_a_config_change_sends_one_email_and_one_webhook_with_the_redacted_diff(
    engine: Engine,
    settings: Settings,
    lab: Any,
    mailbox: tuple[Mailbox, int],
    receiver: Receiver,
    plugin_manager: NetRavenPluginManager,
) -> None:
    box, port = mailbox
    fleet = lab(2)
    backup(engine, settings, plugin_manager)  # first versions, told to no one: no rule yet
    changed = fleet.devices[0]["hostname"]
    fleet.configure(changed, [f"snmp-server community {SNMP_SECRET} RO", "ip domain-lookup"])
    rules = {"changes": {"channels": ["mail", "hook"], "events": ["config_changed"]}}
    loud = notify_settings(settings.home, channels(receiver, port), rules)

    report = backup(engine, loud, plugin_manager)

    assert wait_for_deliveries(15) == 0
    assert report.hosts[changed].changed and len(box.messages) == 1 and len(receiver.requests) == 1
    (hook,) = receiver.bodies()
    assert hook["event"] == "config_changed" and hook["device"] == changed and hook["version"] == 2
    assert "+snmp-server community <redacted> RO" in hook["text"] and "+ip domain-lookup" in hook["text"]
    mail = box.messages[0]
    assert mail["Subject"] == f"netraven: {changed} config changed (version 2)"
    plain = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "+snmp-server community <redacted> RO" in plain and "&lt;redacted&gt;" in html
    for text in (hook["text"], plain, html):
        assert SNMP_SECRET not in text
    rows = deliveries(engine)
    assert [(r.event, r.channel, r.status, r.attempts) for r in rows] == [
        ("config_changed", "mail", "sent", 1),
        ("config_changed", "hook", "sent", 1),
    ]

    backup(engine, loud, plugin_manager)  # nothing changed: nothing sent
    assert wait_for_deliveries(15) == 0 and len(receiver.requests) == 1 and len(box.messages) == 1


def test_a_partial_run_sends_one_run_failed_message(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver, plugin_manager: NetRavenPluginManager
) -> None:
    fleet = lab(3, failures="1:refuse")
    rules = {"failures": {"channels": ["hook"], "events": ["run_failed"]}}
    report = backup(engine, notify_settings(settings.home, channels(receiver), rules), plugin_manager)

    assert report.summary.status == "partial" and wait_for_deliveries(15) == 0
    (body,) = receiver.bodies()
    refused = fleet.devices[1]["hostname"]
    assert body["event"] == "run_failed" and body["status"] == "partial"
    assert (body["hosts_total"], body["hosts_succeeded"], body["hosts_failed"]) == (3, 2, 1)
    assert body["failures_by_kind"] == {"connection": 1} and body["failing_hosts"] == [refused]
    assert f"{refused}: connection:" in body["text"] and f"netraven run show {report.run_id}" in body["text"]
    assert body["message"] == report.message and report.message.startswith(
        "git commit "
    )  # the run's own line
    assert f"Run message: {report.message}" in body["text"]


def test_three_failed_runs_in_a_row_send_one_message_and_recovery_another(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver, plugin_manager: NetRavenPluginManager
) -> None:
    fleet = lab(1)
    hostname, port = fleet.devices[0]["hostname"], fleet.devices[0]["port"]
    rules = {
        "devices": {"channels": ["hook"], "events": ["device_failing", "device_recovered"], "tags": ["lab"]}
    }
    # four failures in a row: the device's circuit breaker would skip it from the 4th run on
    loud = notify_settings(settings.home, channels(receiver), rules, NETRAVEN_CIRCUIT__ENABLED="false")

    def set_port(value: int) -> None:
        with Session(engine) as session, session.begin():
            session.execute(update(Device).where(Device.hostname == hostname).values(port=value))

    set_port(free_port())  # nothing listens there: refused at once
    events = []
    for _ in range(4):
        assert backup(engine, loud, plugin_manager).summary.status == "failed"
        assert wait_for_deliveries(15) == 0
        events.append([body["event"] for body in receiver.bodies()])
    assert events == [[], [], ["device_failing"], ["device_failing"]]  # the 4th failure: no new message
    set_port(port)
    for _ in range(2):
        assert backup(engine, loud, plugin_manager).summary.status == "succeeded"
        assert wait_for_deliveries(15) == 0
    bodies = receiver.bodies()
    assert [b["event"] for b in bodies] == ["device_failing", "device_recovered"]
    assert bodies[0]["subject"] == f"netraven: {hostname} failed 3 backup runs in a row"
    assert bodies[1]["subject"] == f"netraven: {hostname} is back to normal"


def test_a_rule_for_other_tags_or_jobs_sends_nothing(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver, plugin_manager: NetRavenPluginManager
) -> None:
    lab(2, failures="1:refuse")
    rules = {
        "core": {"channels": ["hook"], "tags": ["core"]},
        "nightly": {"channels": ["hook"], "jobs": ["nightly"]},
    }
    report = backup(engine, notify_settings(settings.home, channels(receiver), rules), plugin_manager)
    assert report.summary.status == "partial" and wait_for_deliveries(15) == 0
    assert receiver.requests == [] and deliveries(engine) == []


def test_a_hanging_receiver_does_not_slow_the_run_and_the_log_shows_retries_then_failure(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver, plugin_manager: NetRavenPluginManager
) -> None:
    lab(2, failures="1:refuse")
    rules = {"failures": {"channels": ["hook"], "events": ["run_failed"]}}
    loud = notify_settings(
        settings.home,
        channels(receiver),
        rules,
        NETRAVEN_NOTIFICATIONS__TIMEOUT="1",
        NETRAVEN_NOTIFICATIONS__RETRY_ATTEMPTS="3",
    )
    receiver.mode = "hang"
    started = time.monotonic()
    backup(engine, loud, plugin_manager)
    took = time.monotonic() - started

    (row,) = deliveries(engine)
    assert row.status in ("pending", "retrying") and row.sent_at is None  # still being tried...
    assert took < 8  # ...while the run is over (three attempts alone take over 3 s)
    assert wait_for_deliveries(15) == 0
    (row,) = deliveries(engine)
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "no answer within 1 s")
    assert len(receiver.requests) == 3


def test_a_receiver_answering_500_is_retried_with_backoff(
    engine: Engine,
    settings: Settings,
    lab: Any,
    receiver: Receiver,
    plugin_manager: NetRavenPluginManager,
    tmp_path: Path,
) -> None:
    lab(2, failures="1:refuse")
    rules = {"failures": {"channels": ["hook"], "events": ["run_failed"]}}
    loud = notify_settings(
        settings.home, channels(receiver), rules, NETRAVEN_NOTIFICATIONS__RETRY_ATTEMPTS="3"
    )
    receiver.mode = "error"
    backup(engine, loud, plugin_manager)
    assert wait_for_deliveries(15) == 0
    (row,) = deliveries(engine)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == "the receiver answered HTTP 500 Internal Server Error"
    assert len(receiver.requests) == 3


def test_first_versions_are_no_change(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver, plugin_manager: NetRavenPluginManager
) -> None:
    lab(2)
    rules = {"changes": {"channels": ["hook"], "events": ["config_changed"]}}
    report = backup(engine, notify_settings(settings.home, channels(receiver), rules), plugin_manager)
    assert all(host.changed for host in report.hosts.values())  # stored, and told to hooks...
    assert wait_for_deliveries(15) == 0 and receiver.requests == []  # ...but nobody is paged for them


def test_a_secret_url_is_in_no_log_line_and_no_delivery_row(
    engine: Engine,
    settings: Settings,
    lab: Any,
    plugin_manager: NetRavenPluginManager,
    caplog: pytest.LogCaptureFixture,
) -> None:
    lab(2, failures="1:refuse")
    token = "T0KEN-in-the-path-55"
    with Session(engine) as session, session.begin():  # the vault's key file exists since lab()
        set_secret(session, settings, "hook-url", f"http://127.0.0.1:{free_port()}/services/{token}")
    loud = notify_settings(
        settings.home,
        {"hook": {"type": "webhook", "url_secret": "hook-url"}},
        {"failures": {"channels": ["hook"], "events": ["run_failed"]}},
        NETRAVEN_NOTIFICATIONS__RETRY_ATTEMPTS="2",
    )
    caplog.set_level(logging.DEBUG)
    backup(engine, loud, plugin_manager)
    assert wait_for_deliveries(15) == 0
    (row,) = deliveries(engine)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        2,
        "cannot reach the receiver (ConnectError)",
    )
    assert "notification 1 to hook failed after 2 attempt(s)" in caplog.text and token not in caplog.text


def test_a_sent_message_logs_no_secret_url(
    engine: Engine,
    settings: Settings,
    lab: Any,
    receiver: Receiver,
    plugin_manager: NetRavenPluginManager,
    caplog: pytest.LogCaptureFixture,
) -> None:
    lab(2, failures="1:refuse")
    token = "T0KEN-sent-66"
    with Session(engine) as session, session.begin():
        set_secret(session, settings, "hook-url", f"{receiver.url}/{token}")
    loud = notify_settings(
        settings.home,
        {"hook": {"type": "webhook", "url_secret": "hook-url"}},
        {"failures": {"channels": ["hook"], "events": ["run_failed"]}},
    )
    caplog.set_level(logging.DEBUG)
    backup(engine, loud, plugin_manager)
    assert wait_for_deliveries(15) == 0
    assert [path for path, _, _ in receiver.requests] == [f"/hook/{token}"]
    assert deliveries(engine)[0].status == "sent" and token not in caplog.text  # httpx logs each URL at INFO
