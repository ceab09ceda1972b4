"""``netraven notify test|log|secret``: real SMTP (STARTTLS and a login) and a real webhook
receiver; secrets never shown, logged or kept in the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from netraven.cli import main
from tests.notify.conftest import SMTP_PASSWORD, SMTP_USER, Mailbox, Receiver, free_port

HMAC_KEY, TOKEN = "hmac-K3y-for-tests", "Bearer t0ken-for-tests"


@pytest.fixture(params=["sqlite", "postgresql"])
def env(
    request: pytest.FixtureRequest, new_database_url: Callable[[str], str], tmp_path: Path
) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param), "NETRAVEN_HOME": str(tmp_path / "home")}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    return env


def configure(env: dict[str, str], tmp_path: Path, channels: dict[str, Any]) -> dict[str, str]:
    path = tmp_path / "netraven.yaml"
    path.write_text(yaml.safe_dump({"notifications": {"channels": channels, "timeout": 3}}))
    return {**env, "NETRAVEN_CONFIG": str(path)}


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=stdin)


def log_rows(env: dict[str, str]) -> list[dict[str, Any]]:
    result = cli(env, "notify", "log", "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output)["items"])


def test_a_webhook_test_is_signed_with_the_stored_secrets(
    env: dict[str, str], tmp_path: Path, receiver: Receiver
) -> None:
    for name, value in (("hook-hmac", HMAC_KEY), ("hook-token", TOKEN), ("hook-url", receiver.url)):
        stored = cli(env, "notify", "secret", "set", name, stdin=f"{value}\n")
        assert (
            stored.exit_code == 0
            and stored.output == f"Secret {name!r} stored.\n"
            and value not in stored.output
        )
    channel = {
        "type": "webhook",
        "url_secret": "hook-url",
        "headers": {"X-Team": "netops"},
        "secret_headers": {"Authorization": "hook-token"},
        "hmac_secret": "hook-hmac",
    }
    env = configure(env, tmp_path, {"chat": channel})
    rotated = cli(env, "keys", "rotate")  # the secrets move to the new key with the credentials
    assert rotated.exit_code == 0 and "1 old key(s) retired" in rotated.output

    result = cli(env, "notify", "test", "chat")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Test message sent to chat (delivery ")
    ((path, headers, body),) = receiver.requests
    assert path == "/hook"
    assert headers["X-Team"] == "netops" and headers["Authorization"] == TOKEN
    expected = "sha256=" + hmac.new(HMAC_KEY.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-NetRaven-Signature"] == expected
    assert json.loads(body)["event"] == "test" and "channel works" in json.loads(body)["text"]
    (row,) = log_rows(env)
    assert (row["event"], row["channel"], row["status"], row["attempts"]) == ("test", "chat", "sent", 1)
    assert json.loads(cli(env, "notify", "secret", "list", "--json").output) == [
        "hook-hmac",
        "hook-token",
        "hook-url",
    ]
    with create_engine(env["NETRAVEN_DATABASE__URL"]).connect() as conn:
        stored = b"".join(
            bytes(v) for v in conn.execute(text("SELECT value_encrypted FROM named_secrets")).scalars()
        )
    assert HMAC_KEY.encode() not in stored and TOKEN.encode() not in stored


def test_a_failing_webhook_names_no_secret(env: dict[str, str], tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/services/T0/B0/s3cr3t-path"  # nothing listens there
    assert cli(env, "notify", "secret", "set", "hook-url", stdin=f"{url}\n").exit_code == 0
    env = configure(env, tmp_path, {"chat": {"type": "webhook", "url_secret": "hook-url"}})

    result = cli(env, "notify", "test", "chat")

    assert result.exit_code == 1
    assert (
        result.output.strip().splitlines()[-1]
        == "Error: channel 'chat': cannot reach the receiver (ConnectError)"
    )
    (row,) = log_rows(env)
    assert row["status"] == "failed" and row["last_error"] == "cannot reach the receiver (ConnectError)"
    table = cli(env, "notify", "log").output
    assert "failed" in table and "s3cr3t" not in table and "s3cr3t" not in json.dumps(log_rows(env))


def test_an_email_test_goes_through_tls_and_a_login(
    env: dict[str, str], tmp_path: Path, tls_mailbox: tuple[Mailbox, int, Path, str]
) -> None:
    box, port, ca_file, security = tls_mailbox
    channel = {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "security": security,
        "ca_file": str(ca_file),
        "username": SMTP_USER,
        "password_secret": "smtp",
        "sender": "netraven@example.net",
        "to": ["ops@example.net", "noc@example.net"],
    }
    env = configure(env, tmp_path, {"mail": channel})
    assert cli(env, "notify", "secret", "set", "other", stdin="x\n").exit_code == 0  # creates the key file
    missing = cli(env, "notify", "test", "mail")
    assert missing.exit_code == 1 and "no secret named 'smtp'" in missing.output
    assert cli(env, "notify", "secret", "set", "smtp", stdin="wrong-password\n").exit_code == 0
    refused = cli(env, "notify", "test", "mail")
    assert refused.exit_code == 1 and "the SMTP server refused the login (535)" in refused.output
    assert (
        cli(env, "notify", "secret", "set", "smtp", stdin=f"{SMTP_PASSWORD}\n").output
        == "Secret 'smtp' replaced.\n"
    )

    sent = cli(env, "notify", "test", "mail")

    assert sent.exit_code == 0, sent.output
    (message,) = box.messages
    assert box.envelopes == [("netraven@example.net", ["ops@example.net", "noc@example.net"])]
    assert message["Subject"] == "netraven: test notification" and message["X-NetRaven-Event"] == "test"
    assert {part.get_content_type() for part in message.iter_parts()} == {"text/plain", "text/html"}
    statuses = [(row["status"], row["last_error"]) for row in log_rows(env)]
    assert statuses == [
        ("sent", None),
        ("failed", "the SMTP server refused the login (535)"),
        ("failed", "no secret named 'smtp': store it with 'netraven notify secret set smtp'"),
    ]
    assert SMTP_PASSWORD not in json.dumps(log_rows(env))


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ({"type": "pager"}, "notifications.channels.bad.type = 'pager': expected webhook or email"),
        (
            {"type": "webhook"},
            "notifications.channels.bad: give url or url_secret (a stored secret), one of them",
        ),
        (
            {"type": "webhook", "url": "ftp://x"},
            "notifications.channels.bad.url: expected an http:// or https:// URL",
        ),
        (
            {"type": "webhook", "url": "http://x", "colour": 1},
            "notifications.channels.bad.colour: unknown channel setting",
        ),
        (
            {"type": "email", "host": "h", "sender": "a@b", "to": []},
            "notifications.channels.bad.to: expected one or more email addresses",
        ),
        (
            {"type": "email", "host": "h", "sender": "a@b", "to": "x@y", "security": "tls"},
            "notifications.channels.bad.security = 'tls': expected starttls, ssl or none",
        ),
    ],
)
def test_a_bad_channel_is_one_line_naming_its_key(
    env: dict[str, str], tmp_path: Path, channel: dict[str, Any], error: str
) -> None:
    result = cli(configure(env, tmp_path, {"bad": channel}), "notify", "test", "bad")
    assert result.exit_code == 1 and result.output.strip().splitlines()[-1] == f"Error: {error}"
    assert log_rows(env) == []


def test_unknown_channel_and_status_and_secret(env: dict[str, str], tmp_path: Path) -> None:
    env = configure(env, tmp_path, {})
    assert (
        cli(env, "notify", "test", "nope").output.strip()
        == "Error: no notification channel 'nope' (known: none)"
    )
    bad = cli(env, "notify", "log", "--status", "lost")
    assert bad.exit_code == 1 and "unknown delivery status 'lost'" in bad.output
    assert cli(env, "notify", "secret", "remove", "nope").output.strip() == "Error: no secret named 'nope'"
    assert (
        cli(env, "notify", "secret", "set", "empty", stdin="\n").output.strip()
        == "Error: secret 'empty': the value is empty"
    )
    assert cli(env, "notify", "secret", "list").output == "No secrets stored.\n"
