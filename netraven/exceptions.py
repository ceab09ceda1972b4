"""NetRaven's errors: one root, one subclass per domain.

Every error NetRaven raises on purpose derives from :class:`NetRavenError`; the CLI renders
any of them as one line (tracebacks only with ``--debug``)::

    NetRavenError
    ├── ConfigError           a setting has a wrong value, or a config file is unreadable
    ├── DatabaseError         the database is unreachable or refused a statement (``url``, ``reason``)
    │   └── SchemaError       the schema is missing or behind: run 'netraven db upgrade'
    ├── QueueError            the task queue (Redis, PostgreSQL, SQLite file) cannot be reached (``url``)
    ├── NotFoundError         mixin: the object named does not exist (the web's 404)
    ├── ConflictError         mixin: the name is taken (the web's 409)
    ├── InventoryError        bad device/tag input: address, platform, duplicate hostname
    │   ├── InventoryNotFound     (also a NotFoundError)
    │   └── InventoryConflict     (also a ConflictError)
    ├── CredentialError       missing or wrong encryption key, no usable credential
    │   ├── CredentialNotFound    (also a NotFoundError)
    │   └── CredentialConflict    (also a ConflictError)
    ├── DeviceError           talking to a device failed; ``kind`` says how
    ├── PluginError           a plugin failed to load or registered something invalid
    ├── JobError              a job definition or run cannot proceed
    │   ├── JobNotFound           (also a NotFoundError)
    │   └── JobConflict           (also a ConflictError)
    ├── NotificationError     a notification channel refused or could not take a message (``channel``)
    ├── UserError             bad user or API token input: name, role, password too short, duplicate
    │   ├── UserNotFound          (also a NotFoundError)
    │   └── UserConflict          (also a ConflictError)
    ├── AuthenticationError   who is asking is not established (wrong password, bad token): 401
    │   └── LoginThrottled    too many login attempts for a user name or from an address: 429
    └── PermissionDenied      who is asking may not do this (role too low, not the owner): 403

``NotFoundError`` and ``ConflictError`` are mixed into a domain's error, so ``except InventoryError``
still catches a missing device while a face can tell "no such thing" and "already exists" apart.

Errors carry their context as attributes (``ConfigError.key``, ``DeviceError.kind``) and wrap a
dependency's exception with ``raise ... from``. Messages never contain a secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

DeviceErrorKind = Literal["auth", "timeout", "connection", "command", "parse"]
#: Why a run skipped a host without touching it: its circuit is open, or it has been unreachable long.
SkipKind = Literal["circuit_open", "unreachable"]
#: A JobResult's ``error_kind``: a device error's kind, or a skip's.
ResultKind = DeviceErrorKind | SkipKind


class NetRavenError(Exception):
    """Root of every error NetRaven raises on purpose.

    ``field`` names the input at fault when there is one (``host``, ``platform``), so a form can
    show the message next to that field: ``InventoryError("...", field="host")``.
    """

    field: str | None = None

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        if field is not None:
            self.field = field


@contextmanager
def in_field(name: str) -> Iterator[None]:
    """A NetRavenError raised inside names the input ``name``, unless it names one already::

    with in_field("username"):
        username = check_name(username, "username", UserError)
    """
    try:
        yield
    except NetRavenError as exc:
        exc.field = exc.field or name
        raise


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` of any exception, for a log line or a stored reason.

    Not redacted: pass it through the relevant :class:`~netraven.redaction.Redactor`.
    """
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}".rstrip(": ")


class ConfigError(NetRavenError):
    """A setting has a wrong value; ``key`` names it (``database.url``)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class DatabaseError(NetRavenError):
    """The database cannot be used as it is.

    ``url`` names it (password and query hidden) and ``reason`` is the driver's cause, when the
    error wraps one of SQLAlchemy's (``raise DatabaseError(...) from exc``).
    """

    def __init__(self, message: str, url: str | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason


class SchemaError(DatabaseError):
    """The schema is missing or older than this NetRaven."""


class QueueError(NetRavenError):
    """The task queue cannot be reached; ``url`` names it (password hidden)."""

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class NotFoundError(NetRavenError):
    """The object named (device, tag, credential, job, run...) does not exist."""


class ConflictError(NetRavenError):
    """The object cannot be created or renamed: its name is taken."""


class InventoryError(NetRavenError):
    """Invalid device or tag data; ``row`` is the input row number when importing."""

    def __init__(self, message: str, row: int | None = None, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.row = row


class InventoryNotFound(InventoryError, NotFoundError):
    """No device or tag of that name or id."""


class InventoryConflict(InventoryError, ConflictError):
    """A device or tag of that name already exists."""


class CredentialError(NetRavenError):
    """Encryption key missing or wrong, or no credential to try."""


class CredentialNotFound(CredentialError, NotFoundError):
    """No credential of that name or id."""


class CredentialConflict(CredentialError, ConflictError):
    """A credential of that name already exists."""


class DeviceError(NetRavenError):
    """Talking to ``host`` failed; ``kind`` is one of auth, timeout, connection, command, parse."""

    def __init__(self, message: str, kind: DeviceErrorKind, host: str | None = None) -> None:
        super().__init__(message)
        self.kind: DeviceErrorKind = kind
        self.host = host


class PluginError(NetRavenError):
    """A plugin failed to load or registered something invalid; ``plugin`` names it."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin


class JobError(NetRavenError):
    """A job definition is invalid or a run cannot proceed."""


class NotificationError(NetRavenError):
    """A notification could not be delivered; ``channel`` names where it was going."""

    def __init__(self, message: str, channel: str | None = None) -> None:
        super().__init__(message)
        self.channel = channel


class UserError(NetRavenError):
    """Invalid user or API token input: a bad name or role, a short password, a duplicate."""


class UserNotFound(UserError, NotFoundError):
    """No user or API token of that name or id."""


class UserConflict(UserError, ConflictError):
    """A user of that name already exists."""


class AuthenticationError(NetRavenError):
    """Who is asking could not be established (HTTP 401).

    The message never says whether a user of that name exists, nor which part was wrong.
    """


class LoginThrottled(AuthenticationError):
    """Too many login attempts in the last minute for a user name or from a client address (HTTP
    429); ``retry_after`` is the seconds to wait. Says nothing about whether the user exists."""

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermissionDenied(NetRavenError):
    """Who is asking is known but may not do this (HTTP 403); ``needed`` is the role required, if any."""

    def __init__(self, message: str, needed: str | None = None) -> None:
        super().__init__(message)
        self.needed = needed


class JobNotFound(JobError, NotFoundError):
    """No job (or run) of that name or id."""


class JobConflict(JobError, ConflictError):
    """A job of that name already exists."""
