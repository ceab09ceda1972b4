"""``netraven notify test CHANNEL``: one test message, sent now, recorded like any delivery."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from netraven.credentials.named import read_secrets
from netraven.credentials.vault import load_vault
from netraven.exceptions import ConfigError, NetRavenError, NotificationError
from netraven.notifications import NewDelivery, finish_delivery, queue_deliveries
from netraven.settings import Settings
from netraven_notify.config import load_config
from netraven_notify.errors import SendFailed
from netraven_notify.events import probe_event
from netraven_notify.sender import send_once


def send_test(settings: Settings, sessions: sessionmaker[Session], name: str) -> int:
    """Send a test message to channel ``name`` in one attempt; its delivery log id.

    A one-line :class:`NotificationError` says why it failed (recorded in the log too).
    """
    config = load_config(settings.notifications)
    channel = config.channels.get(name)
    if channel is None:
        known = ", ".join(sorted(config.channels)) or "none"
        raise ConfigError(f"no notification channel {name!r} (known: {known})", key="notifications.channels")
    event = probe_event(name)
    with sessions.begin() as session:
        (delivery_id,) = queue_deliveries(session, [NewDelivery(event.name, name, event.subject)])
    try:
        secrets = {}
        if channel.secrets:
            vault = load_vault(settings)
            with sessions() as session:
                secrets = read_secrets(session, vault, channel.secrets)
        send_once(channel, event, secrets, settings.notifications.timeout)
    except (SendFailed, NotificationError) as exc:
        finish_delivery(sessions, delivery_id, 1, str(exc))
        raise NotificationError(f"channel {name!r}: {exc}", channel=name) from None
    except NetRavenError as exc:  # a missing secret or key: recorded, then shown as it is
        finish_delivery(sessions, delivery_id, 0, str(exc))
        raise
    finish_delivery(sessions, delivery_id, 1)
    return delivery_id
