"""Open netmiko connections with credential fallback, retries and outcome tracking.

Candidates are tried in order; an authentication failure moves to the next one within the same
attempt; a timeout or refused connection retries the same credential with exponential backoff and
never burns through the others. Each login attempt updates the credential's counters and, on
success, the device's last-good credential (at once, or in a run with the host's result: see
``CredentialBroker.record_later``). Secrets are decrypted only here, just before use.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nornir.core.configuration import Config
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPlugin, ConnectionPluginRegister
from sqlalchemy.orm import Session, sessionmaker

from netraven.connections.errors import classify
from netraven.connections.transport import connection_type, is_telnet
from netraven.credentials.store import CandidateCredential, record_attempt
from netraven.credentials.vault import Vault
from netraven.db.base import utcnow
from netraven.exceptions import CredentialError, DeviceError
from netraven.settings import ConnectionSettings

log = logging.getLogger("netraven.connections")

UNREADABLE = "unreadable"  # the outcome of a candidate the key cannot decrypt
WRONG_KEY = "wrong or missing key"


@dataclass
class Attempt:
    """One login attempt, as logged (never a secret)."""

    credential: str
    username: str
    outcome: str  # "success", or the error kind
    message: str = ""
    at: str = field(default_factory=lambda: utcnow().isoformat())


@dataclass
class HostAccess:
    """What a host needs to log in: its device id and candidates (encrypted), and what happened."""

    device_id: int | None
    candidates: list[CandidateCredential]
    broker: CredentialBroker
    attempts: list[Attempt] = field(default_factory=list)
    credential_id: int | None = None
    sock: socket.socket | None = None  # the socket of the current attempt
    aborted: str | None = None  # why the host was stopped, see abort()
    # login outcomes (credential id, success) left to the run to count, see record_later
    unrecorded: list[tuple[int, bool]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"HostAccess(device_id={self.device_id!r}, candidates={len(self.candidates)})"

    def abort(self, reason: str) -> None:
        """Stop this host: no further login attempt, and the open socket is shut down.

        Called from another thread (the runner's per-host time limit); whatever netmiko was
        waiting for fails at once instead of holding the run.
        """
        self.aborted = reason
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def secrets(self) -> list[str]:
        """The decrypted secrets of this host's candidates, for the redactor only.

        A candidate that cannot be decrypted is left out: its secret was never used, so no
        output can hold it.
        """
        values: list[str] = []
        for candidate in self.candidates:
            try:
                values += [value for value in self.broker.decrypt(candidate) if value]
            except CredentialError:
                continue
        return values


class CredentialBroker:
    """Shared by every host of an inventory: the vault, the database and the connection settings.

    ``extra_options(host)`` adds netmiko options at each login (a run's in-memory session log).
    ``record_later`` False: each login outcome is counted at once, in its own transaction. True (a
    run): it waits in ``HostAccess.unrecorded`` and the run counts it with the host's result, so 50
    threads logging in never queue for the database (SQLite has a single writer).
    """

    def __init__(
        self,
        vault: Callable[[], Vault],
        sessions: sessionmaker[Session] | None,
        settings: ConnectionSettings,
        sleep: Callable[[float], None] = time.sleep,
        extra_options: Callable[[Host], dict[str, Any]] | None = None,
        record_later: bool = False,
    ) -> None:
        self.vault = vault
        self.sessions = sessions
        self.settings = settings
        self.sleep = sleep
        self.extra_options = extra_options
        self.record_later = record_later

    def __repr__(self) -> str:
        return "CredentialBroker()"

    def decrypt(self, candidate: CandidateCredential) -> tuple[str, str]:
        """The password and enable secret (or "") of ``candidate``; CredentialError if the key
        cannot decrypt them."""
        vault = self.vault()
        password = vault.decrypt(candidate.password_token)
        return password, vault.decrypt(candidate.secret_token) if candidate.secret_token else ""

    def open(
        self, host: Host, access: HostAccess, configuration: Config, extras: dict[str, Any]
    ) -> ConnectionPlugin:
        """Open and return a netmiko connection plugin for ``host`` (raises :class:`DeviceError`).

        A candidate the key cannot decrypt is skipped, with an attempt saying so.
        """
        if not access.candidates:
            raise DeviceError(
                f"{host.name}: no credential is bound to this device or its tags", "auth", host.name
            )
        tried, unreadable = [], []
        for candidate in access.candidates:
            try:
                password, secret = self.decrypt(candidate)
            except CredentialError:
                unreadable.append(candidate.name)
                why = f"{host.name}: could not be decrypted ({WRONG_KEY}): skipped"
                access.attempts.append(Attempt(candidate.name, candidate.username, UNREADABLE, why))
                log.warning("%s: credential %s could not be decrypted (%s): skipped",
                            host.name, candidate.name, WRONG_KEY)  # fmt: skip
                continue
            tried.append(candidate.name)
            plugin = self._try_candidate(host, access, candidate, password, secret, configuration, extras)
            if plugin is not None:
                return plugin
        failed = f"authentication failed with every credential ({', '.join(tried)})" if tried else ""
        skipped = f"could not be decrypted: {', '.join(unreadable)} ({WRONG_KEY})" if unreadable else ""
        raise DeviceError(f"{host.name}: {'; '.join(filter(None, (failed, skipped)))}", "auth", host.name)

    def _try_candidate(
        self,
        host: Host,
        access: HostAccess,
        candidate: CandidateCredential,
        password: str,
        secret: str,
        configuration: Config,
        extras: dict[str, Any],
    ) -> ConnectionPlugin | None:
        delay, attempt = self.settings.retry_initial_delay, 1
        while True:
            if access.aborted:
                raise DeviceError(f"{host.name}: {access.aborted}", "timeout", host.name)
            try:
                plugin = self._connect(
                    host, access, candidate.username, password, secret, configuration, extras
                )
            except Exception as exc:  # classified right here, once
                error = classify(exc, host.name)
                access.attempts.append(Attempt(candidate.name, candidate.username, error.kind, str(error)))
                log.info(
                    "%s: login as %s (%s): %s", host.name, candidate.username, candidate.name, error.kind
                )
                if error.kind == "auth":
                    self._record(access, candidate.id, success=False)
                    return None
                if error.kind not in ("timeout", "connection") or attempt >= self.settings.retry_attempts:
                    raise error from None
                self.sleep(delay)
                delay = min(delay * self.settings.retry_factor, self.settings.retry_max_delay)
                attempt += 1
                continue
            access.attempts.append(Attempt(candidate.name, candidate.username, "success"))
            access.credential_id = candidate.id
            log.info("%s: logged in as %s (%s)", host.name, candidate.username, candidate.name)
            self._record(access, candidate.id, success=True)
            return plugin

    def _connect(
        self,
        host: Host,
        access: HostAccess,
        username: str,
        password: str,
        secret: str,
        configuration: Config,
        extras: dict[str, Any],
    ) -> ConnectionPlugin:
        device_type = connection_type(host.platform, host.data.get("transport"), host.name)
        options = dict(extras)
        sock: socket.socket | None = None
        if not is_telnet(device_type):  # netmiko's telnet driver opens its own socket
            sock = socket.create_connection((host.hostname, host.port or 22), timeout=self.settings.timeout)
            # paramiko leaves Nagle on: the handshake then stalls on delayed ACKs (~85 ms per connection).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            access.sock = options["sock"] = sock
        if secret:
            options["secret"] = secret
        if self.extra_options is not None:
            options.update(self.extra_options(host))
        plugin = ConnectionPluginRegister.get_plugin("netmiko")()
        try:
            plugin.open(
                hostname=host.hostname,
                username=username,
                password=password,
                port=host.port,
                platform=device_type,
                extras=options,
                configuration=configuration,
            )
        except BaseException:
            if sock is not None:
                sock.close()
            raise
        if sock is None:  # telnet: abort() shuts the socket netmiko opened
            access.sock = getattr(plugin.connection.remote_conn, "sock", None)
        return plugin

    def _record(self, access: HostAccess, credential_id: int, success: bool) -> None:
        if self.record_later:
            access.unrecorded.append((credential_id, success))
            return
        if self.sessions is None:
            return
        try:
            with self.sessions.begin() as session:
                record_attempt(session, credential_id, access.device_id, success)
        except Exception:  # tracking must never break a connection
            log.exception("could not record the login outcome of credential %s", credential_id)
