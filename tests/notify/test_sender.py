"""The sender threads: one process may send for several databases at once (tests, embedding)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from netraven.db import create_session_factory
from netraven.db.models import NotificationDelivery
from netraven.notifications import NewDelivery, queue_deliveries
from netraven.settings import NotificationSettings
from netraven_notify.config import WebhookChannel
from netraven_notify.events import probe_event
from netraven_notify.sender import Delivery, Sender
from tests.conftest import migrated_engine
from tests.notify.conftest import Receiver, free_port


def test_waiting_covers_deliveries_of_two_databases_with_the_same_ids(
    new_database_url: Callable[[str], str], receiver: Receiver
) -> None:
    receiver.mode = "hang"
    policy = NotificationSettings(timeout=1.0, retry_attempts=1)
    slow = WebhookChannel("slow", receiver.url)
    down = WebhookChannel("down", f"http://127.0.0.1:{free_port()}/")
    sender = Sender()
    with (
        migrated_engine(new_database_url("sqlite")) as first,
        migrated_engine(new_database_url("sqlite")) as second,
    ):
        factories = [create_session_factory(first), create_session_factory(second)]
        for sessions, channel in zip(factories, (slow, down), strict=True):
            with sessions.begin() as session:
                (delivery_id,) = queue_deliveries(session, [NewDelivery("test", channel.name, "subject")])
            assert delivery_id == 1  # the same id in both databases
            sender.submit(Delivery(delivery_id, channel, probe_event(channel.name), {}, policy, sessions))

        assert sender.wait(15) == []  # not done when the quick one is: the slow one is waited for too
        for sessions, error in zip(
            factories, ("no answer within 1 s", "cannot reach the receiver (ConnectError)"), strict=True
        ):
            with sessions() as session:
                row = session.scalars(select(NotificationDelivery)).one()
            assert (row.status, row.attempts, row.last_error) == ("failed", 1, error)
