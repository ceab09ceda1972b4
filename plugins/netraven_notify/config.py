"""Channels and rules from ``settings.notifications``, checked: a wrong value is a one-line
:class:`~netraven.exceptions.ConfigError` naming its key (``notifications.channels.slack.url``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from netraven.exceptions import ConfigError
from netraven.settings import NotificationSettings

EVENTS = ("config_changed", "run_failed", "device_failing", "device_recovered")
SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class WebhookChannel:
    """A JSON POST to ``url`` (or the URL stored as secret ``url_secret``), optionally signed."""

    name: str
    url: str = field(default="", repr=False)
    url_secret: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    secret_headers: Mapping[str, str] = field(default_factory=dict)  # header -> secret name
    hmac_secret: str = ""
    signature_header: str = "X-NetRaven-Signature"

    @property
    def secrets(self) -> set[str]:
        return {name for name in (self.url_secret, self.hmac_secret, *self.secret_headers.values()) if name}


@dataclass(frozen=True)
class EmailChannel:
    """Mail through an SMTP server, with STARTTLS or SSL and a login when ``username`` is set."""

    name: str
    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 0  # 0: 587 for starttls, 465 for ssl, 25 for none
    security: str = "starttls"
    username: str = ""
    password_secret: str = ""
    ca_file: str = ""  # a private CA's certificates, else the system's

    @property
    def secrets(self) -> set[str]:
        return {self.password_secret} if self.password_secret else set()

    @property
    def server_port(self) -> int:
        return self.port or SECURITY_PORTS[self.security]


Channel = WebhookChannel | EmailChannel


@dataclass(frozen=True)
class Rule:
    """Events to send to channels; an empty filter matches every event, tag or job."""

    name: str
    channels: tuple[str, ...]
    events: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()

    def matches(self, event: str, tags: set[str], job: str | None) -> bool:
        return (
            (not self.events or event in self.events)
            and (not self.tags or bool(tags.intersection(self.tags)))
            and (not self.jobs or job in self.jobs)
        )


@dataclass(frozen=True)
class NotifyConfig:
    channels: Mapping[str, Channel]
    rules: tuple[Rule, ...]


def load_config(settings: NotificationSettings) -> NotifyConfig:
    """The checked channels and rules; a rule naming an unknown channel or event is an error."""
    channels = {name: _channel(name, raw) for name, raw in settings.channels.items()}
    rules = tuple(_rule(name, raw, channels) for name, raw in settings.rules.items())
    return NotifyConfig(channels, rules)


def _channel(name: str, raw: Any) -> Channel:
    key = f"notifications.channels.{name}"
    values = dict(_mapping(key, raw))
    kind = values.pop("type", None)
    if kind == "webhook":
        url, url_secret = _text(key, values, "url"), _text(key, values, "url_secret")
        if bool(url) == bool(url_secret):
            raise ConfigError(f"{key}: give url or url_secret (a stored secret), one of them", key=key)
        if url and not url.startswith(("http://", "https://")):
            raise ConfigError(f"{key}.url: expected an http:// or https:// URL", key=f"{key}.url")
        channel: Channel = WebhookChannel(
            name,
            url,
            url_secret,
            _strings(f"{key}.headers", values.pop("headers", {})),
            _strings(f"{key}.secret_headers", values.pop("secret_headers", {})),
            _text(key, values, "hmac_secret"),
            _text(key, values, "signature_header") or "X-NetRaven-Signature",
        )
    elif kind == "email":
        security = _text(key, values, "security") or "starttls"
        if security not in SECURITY_PORTS:
            raise ConfigError(
                f"{key}.security = {security!r}: expected starttls, ssl or none", key=f"{key}.security"
            )
        to = values.pop("to", None)
        recipients = (to,) if isinstance(to, str) else tuple(to) if isinstance(to, list) else ()
        if not recipients or not all(isinstance(item, str) and "@" in item for item in recipients):
            raise ConfigError(f"{key}.to: expected one or more email addresses", key=f"{key}.to")
        port = values.pop("port", 0)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65_535:
            raise ConfigError(f"{key}.port = {port!r}: expected a TCP port", key=f"{key}.port")
        host, sender = _text(key, values, "host"), _text(key, values, "sender")
        if not host or "@" not in sender:
            raise ConfigError(f"{key}: host and sender (an email address) are required", key=key)
        channel = EmailChannel(
            name,
            host,
            sender,
            recipients,
            port,
            security,
            _text(key, values, "username"),
            _text(key, values, "password_secret"),
            _text(key, values, "ca_file"),
        )
    else:
        raise ConfigError(f"{key}.type = {kind!r}: expected webhook or email", key=f"{key}.type")
    if values:
        unknown = sorted(values)[0]
        raise ConfigError(f"{key}.{unknown}: unknown channel setting", key=f"{key}.{unknown}")
    return channel


def _rule(name: str, raw: Any, channels: Mapping[str, Channel]) -> Rule:
    key = f"notifications.rules.{name}"
    values = dict(_mapping(key, raw))
    lists = {
        item: _names(f"{key}.{item}", values.pop(item, ())) for item in ("channels", "events", "tags", "jobs")
    }
    if values:
        unknown = sorted(values)[0]
        raise ConfigError(
            f"{key}.{unknown}: unknown rule setting (known: channels, events, tags, jobs)", key=key
        )
    if not lists["channels"]:
        raise ConfigError(f"{key}.channels: name at least one channel", key=f"{key}.channels")
    for channel in lists["channels"]:
        if channel not in channels:
            known = ", ".join(sorted(channels)) or "none"
            raise ConfigError(
                f"{key}.channels: no channel {channel!r} (known: {known})", key=f"{key}.channels"
            )
    for event in lists["events"]:
        if event not in EVENTS:
            raise ConfigError(
                f"{key}.events: unknown event {event!r} (known: {', '.join(EVENTS)})", key=f"{key}.events"
            )
    return Rule(name, lists["channels"], lists["events"], lists["tags"], lists["jobs"])


def _mapping(key: str, raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{key}: expected a mapping", key=key)
    return raw


def _text(key: str, values: dict[str, Any], name: str) -> str:
    value = values.pop(name, "")
    if not isinstance(value, str) or not value.isprintable():
        raise ConfigError(f"{key}.{name}: expected text", key=f"{key}.{name}")
    return value.strip()


def _strings(key: str, raw: Any) -> dict[str, str]:
    pairs = _mapping(key, raw)
    if not all(isinstance(k, str) and isinstance(v, str) and v.isprintable() for k, v in pairs.items()):
        raise ConfigError(f"{key}: expected a mapping of text to text", key=key)
    return dict(pairs)


def _names(key: str, raw: Any) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) and item for item in items):
        raise ConfigError(f"{key}: expected a list of names", key=key)
    return tuple(items)
