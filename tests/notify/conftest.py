"""Notification tests: a real SMTP server (aiosmtpd) and a real HTTP receiver on loopback, started
here, and the runner's fixtures (fresh databases, simulated fleets over real SSH)."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netraven.settings import Settings
from tests.runner.conftest import engine, lab, make_settings, plugin_manager, recorder, settings

__all__ = ["engine", "lab", "plugin_manager", "recorder", "settings"]

SMTP_USER, SMTP_PASSWORD = "netraven", "smtp-pa55-word"


class Mailbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A plain SMTP server on loopback (no TLS, no login): (its mailbox, its port)."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture(params=["starttls", "ssl"])
def tls_mailbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path, str]]:
    """An SMTP server requiring a login over TLS, STARTTLS or SSL from the first byte (implicit
    TLS): (mailbox, port, its CA certificate file, the security to set)."""
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    box = Mailbox()
    # aiosmtpd offers AUTH over implicit TLS only when told TLS is not required (it is there),
    # and then warns if AUTH is required too: the client logs in all the same.
    tls = {"tls_context": context, "require_starttls": True, "auth_required": True} if request.param == "starttls" \
        else {"ssl_context": context, "auth_require_tls": False}  # fmt: skip

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)

    controller = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=check, **tls)
    controller.start()
    yield box, controller.port, cert_file, request.param
    controller.stop()


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp.crt", directory / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


class Receiver:
    """A webhook receiver on loopback: records each POST; ``mode`` is ok, error (500) or hang."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.mode = "ok"
        self.hang_seconds = 30.0
        self.stop = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), body))
                if receiver.mode == "hang":
                    receiver.stop.wait(receiver.hang_seconds)
                status = 500 if receiver.mode == "error" else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, _, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.stop.set()
    found.server.shutdown()
    found.server.server_close()


def notify_settings(home: Path, channels: dict[str, Any], rules: dict[str, Any], **env: str) -> Settings:
    """The runner tests' settings with these channels and rules and quick retries."""
    values = {
        "NETRAVEN_NOTIFICATIONS__CHANNELS": json.dumps(channels),
        "NETRAVEN_NOTIFICATIONS__RULES": json.dumps(rules),
        "NETRAVEN_NOTIFICATIONS__RETRY_INITIAL_DELAY": "0.05",
        "NETRAVEN_NOTIFICATIONS__TIMEOUT": "5",
    }
    return make_settings(home, **{**values, **env})


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)
