"""Deliveries leave the run: a few daemon threads per process send them, retrying with
exponential backoff, and record every attempt in the delivery log.

A run only queues its deliveries, so a slow or dead receiver never holds it up. A process that
ends (``netraven run``) waits at most ``notifications.exit_wait`` seconds for the deliveries still
in flight, then records those left as failed: nothing is lost silently, nothing waits forever.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from netraven.notifications import finish_delivery, give_up, record_attempt
from netraven.redaction import Redactor
from netraven.settings import NotificationSettings
from netraven_notify.config import Channel, EmailChannel
from netraven_notify.errors import SendFailed
from netraven_notify.events import Event
from netraven_notify.smtp import send_email
from netraven_notify.webhook import send_webhook

log = logging.getLogger("netraven.notify")


@dataclass(frozen=True)
class Delivery:
    """One queued message: its delivery log row, where it goes and with which secrets."""

    id: int
    channel: Channel
    event: Event
    secrets: Mapping[str, str]
    policy: NotificationSettings
    sessions: sessionmaker[Session]

    def __repr__(self) -> str:  # never the secrets
        return f"Delivery(id={self.id!r}, channel={self.channel.name!r}, event={self.event.name!r})"


def send_once(channel: Channel, event: Event, secrets: Mapping[str, str], timeout: float) -> None:
    """One attempt; a :class:`SendFailed` whose message holds none of ``secrets``."""
    try:
        if isinstance(channel, EmailChannel):
            send_email(channel, event, secrets, timeout)
        else:
            send_webhook(channel, event, secrets, timeout)
    except SendFailed as exc:
        masked = Redactor(secrets.values()).redact(str(exc))
        raise SendFailed(masked, channel.name, exc.retry) from None


def deliver(item: Delivery, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Send ``item`` with retries, recording each attempt; True once sent."""
    policy = item.policy
    delay = policy.retry_initial_delay
    for attempt in range(1, policy.retry_attempts + 1):
        try:
            send_once(item.channel, item.event, item.secrets, policy.timeout)
        except SendFailed as exc:
            if not exc.retry or attempt == policy.retry_attempts:
                log.warning(
                    "notification %s to %s failed after %d attempt(s): %s",
                    item.id,
                    item.channel.name,
                    attempt,
                    exc,
                )
                finish_delivery(item.sessions, item.id, attempt, str(exc))
                return False
            record_attempt(item.sessions, item.id, attempt, str(exc))
            sleep(min(delay, policy.retry_max_delay))
            delay *= policy.retry_factor
        else:
            finish_delivery(item.sessions, item.id, attempt)
            return True
    return False


class Sender:
    """The process's sending threads, started on the first delivery."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Delivery] = queue.Queue()
        self._open: dict[int, Delivery] = {}  # by id(): delivery ids of two databases may be equal
        self._done = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._pid = os.getpid()
        self.exit_wait = 0.0

    def submit(self, item: Delivery) -> None:
        with self._done:
            self._open[id(item)] = item
            self.exit_wait = max(self.exit_wait, item.policy.exit_wait)
            if not self._threads:
                atexit.register(self.at_exit)
            while len(self._threads) < item.policy.senders:
                thread = threading.Thread(
                    target=self._work, name=f"netraven-notify-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        self._queue.put(item)

    def wait(self, timeout: float) -> list[Delivery]:
        """Wait until every delivery is done or ``timeout`` passes; those still open."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self._open and (left := deadline - time.monotonic()) > 0:
                self._done.wait(left)
            return list(self._open.values())

    def at_exit(self) -> None:
        if self._pid != os.getpid():
            return
        left = self.wait(self.exit_wait)
        for item in left:
            reason = f"not delivered: the process ended while sending it (waited {self.exit_wait:g} s)"
            try:
                give_up(item.sessions, [item.id], reason)
            except Exception:  # the database may be gone at exit too: the log line remains
                log.exception("cannot record notification %s as failed", item.id)
        if left:
            log.warning("%d notification(s) not delivered before the process ended", len(left))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            try:
                deliver(item)
            except Exception:  # the delivery log itself failed: keep the thread for the others
                log.exception("notification %s to %s could not be recorded", item.id, item.channel.name)
            finally:
                with self._done:
                    self._open.pop(id(item), None)
                    self._done.notify_all()
