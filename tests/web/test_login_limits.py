"""Login rules over HTTP: a locked account answers like a wrong password (401), too many attempts
from one address answer 429 with Retry-After; all counted in the database."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry
from tests.web.conftest import PASSWORD, assert_envelope


def login(client: TestClient, name: str, password: str) -> object:
    return client.post("/api/v1/auth/token", data={"username": name, "password": password})


def test_lockout_then_rate_limit_per_address(
    client: TestClient, make_user: Callable[..., dict[str, str]], db: Callable[[], Session]
) -> None:
    make_user("operator", "victim")  # web.login_max_failures 5, web.login_rate_per_minute 10
    refused = [assert_envelope(login(client, "victim", "wrong password!"), 401) for _ in range(5)]
    locked = assert_envelope(login(client, "victim", PASSWORD), 401)  # the right password, but locked
    unknown = assert_envelope(login(client, "nobody", PASSWORD), 401)
    assert {e["message"] for e in [*refused, locked, unknown]} == {locked["message"]}
    for n in range(3):
        assert_envelope(login(client, f"ghost{n}", PASSWORD), 401)
    throttled = login(client, "someone-else", PASSWORD)  # the 11th attempt from this address
    error = assert_envelope(throttled, 429, "too_many_requests")
    assert "too many login attempts" in str(error["message"])
    assert throttled.headers["retry-after"] == "60"  # type: ignore[attr-defined]
    with db() as session:
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "auth.login").order_by(AuditEntry.id)
        ).all()
    assert details[-7] == "wrong password; locked for 15 min"
    assert details[-6].startswith("locked until")
    assert details[-5:] == ["unknown user"] * 4 + ["rate limited"]
