"""Logins, browser sessions with CSRF, personal tokens, users and the audit trail over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from netraven.db.models import AuditEntry, User
from tests.web.conftest import PASSWORD, assert_envelope, count


def test_browser_session_needs_csrf_on_unsafe_methods(
    client: TestClient, make_user: Callable[..., dict[str, str]]
) -> None:
    make_user("operator", "olga")
    login = client.post("/api/v1/auth/session", json={"username": "olga", "password": PASSWORD})
    assert login.status_code == 200, login.text
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http
    csrf = login.json()["csrf_token"]
    assert login.json()["me"]["username"] == "olga"
    assert client.get("/api/v1/auth/me").json()["kind"] == "session"  # the cookie alone reads
    device = {"hostname": "s1", "host": "10.0.0.1", "platform": "cisco_ios"}
    assert_envelope(client.post("/api/v1/devices", json=device), 403, "forbidden")
    assert_envelope(client.post("/api/v1/devices", json=device, headers={"X-CSRF-Token": "forged"}), 403)
    created = client.post("/api/v1/devices", json=device, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text
    assert_envelope(client.delete("/api/v1/auth/session"), 403)
    assert client.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    assert_envelope(client.get("/api/v1/auth/me"), 401)


def test_secure_cookie_behind_an_https_proxy(
    client: TestClient, make_user: Callable[..., dict[str, str]]
) -> None:
    make_user("viewer", "vic")
    https = TestClient(client.app, base_url="https://netraven.example.net")
    login = https.post("/api/v1/auth/session", data={"username": "vic", "password": PASSWORD})
    assert login.status_code == 200 and "Secure" in login.headers["set-cookie"]


def test_bad_tokens_are_401_with_the_envelope(client: TestClient) -> None:
    for header in ("Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer nrt_unknown"):
        response = client.get("/api/v1/auth/me", headers={"Authorization": header})
        assert_envelope(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"


def test_personal_tokens_owner_or_admin(client: TestClient, as_role: dict[str, dict[str, str]]) -> None:
    created = client.post(
        "/api/v1/tokens", json={"name": "script", "role": "viewer"}, headers=as_role["operator"]
    )
    assert created.status_code == 201, created.text
    secret, token = created.json()["secret"], created.json()["token"]
    assert secret.startswith("nrt_") and token["role"] == "viewer" and token["user"] == "operator"
    as_token = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/auth/me", headers=as_token).json()["kind"] == "token"
    assert_envelope(
        client.post("/api/v1/tags", json={"name": "t"}, headers=as_token), 403
    )  # the token's role
    listed = client.get("/api/v1/tokens", headers=as_role["operator"]).json()
    assert listed["total"] == 1 and secret not in str(listed)
    assert client.get("/api/v1/tokens", headers=as_role["viewer"]).json()["total"] == 0
    assert client.get("/api/v1/tokens", headers=as_role["admin"]).json()["total"] == 1
    assert_envelope(
        client.post("/api/v1/tokens", json={"name": "x", "role": "admin"}, headers=as_role["operator"]), 400
    )
    assert_envelope(
        client.delete(f"/api/v1/tokens/{token['id']}", headers=as_role["viewer"]), 404
    )  # not theirs
    revoked = client.delete(f"/api/v1/tokens/{token['id']}", headers=as_role["admin"])
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert_envelope(client.get("/api/v1/auth/me", headers=as_token), 401)


def test_users_admin_only_and_validated(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    admin = as_role["admin"]
    new = {"username": "ursula", "password": PASSWORD, "role": "operator", "full_name": "Ursula K"}
    created = client.post("/api/v1/users", json=new, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["role"] == "operator" and PASSWORD not in created.text
    users_before = count(engine, User)
    bad = [
        (
            client.post("/api/v1/users", json={**new, "username": "u2", "password": "Xq9z"}, headers=admin),
            400,
        ),
        (client.post("/api/v1/users", json={**new, "username": "u3", "role": "root"}, headers=admin), 422),
        (client.post("/api/v1/users", json={**new, "username": "u4", "is_admin": True}, headers=admin), 422),
        (client.post("/api/v1/users", json=new, headers=as_role["operator"]), 403),
        (client.post("/api/v1/users", json=new, headers=admin), 409),
        (client.patch("/api/v1/users/nobody", json={"role": "admin"}, headers=admin), 404),
    ]
    for response, status in bad:
        assert_envelope(response, status)
        assert PASSWORD not in response.text and "Xq9z" not in response.text
    assert count(engine, User) == users_before
    edited = client.patch(
        "/api/v1/users/ursula", json={"role": "viewer", "password": PASSWORD + "!"}, headers=admin
    )
    assert edited.status_code == 200 and edited.json()["role"] == "viewer"
    assert (
        client.post("/api/v1/auth/token", data={"username": "ursula", "password": PASSWORD + "!"}).status_code
        == 200
    )
    page = client.get("/api/v1/users", params={"limit": 2, "offset": 1}, headers=admin).json()
    assert page["total"] == 4 and [u["username"] for u in page["items"]] == ["operator", "ursula"]
    assert client.delete("/api/v1/users/ursula", headers=admin).status_code == 204
    assert_envelope(client.delete("/api/v1/users/admin", headers=admin), 400)  # the last admin stays


def test_audit_lists_who_did_what_for_admins(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    client.post("/api/v1/tags", json={"name": "site-a"}, headers=as_role["operator"])
    client.post("/api/v1/tags", json={"name": "site-a"}, headers=as_role["operator"])  # duplicate: failed
    assert_envelope(client.get("/api/v1/audit", headers=as_role["operator"]), 403)
    page = client.get("/api/v1/audit", params={"action": "tag.add"}, headers=as_role["admin"]).json()
    assert [(e["action"], e["actor"], e["outcome"]) for e in page["items"]] == [
        ("tag.add", "operator", "failed"),
        ("tag.add", "operator", "succeeded"),
    ]
    assert page["items"][0]["address"] == "testclient" and "already exists" in page["items"][0]["detail"]
    assert (
        client.get("/api/v1/audit", params={"actor": "nobody"}, headers=as_role["admin"]).json()["total"] == 0
    )
    total = client.get("/api/v1/audit", params={"limit": 1}, headers=as_role["admin"]).json()["total"]
    assert total == count(engine, AuditEntry)
    failed = client.get("/api/v1/audit", params={"outcome": "failed"}, headers=as_role["admin"]).json()
    assert [e["action"] for e in failed["items"]] == ["tag.add"]
    later = client.get("/api/v1/audit", params={"until": "2000-01-01T00:00:00Z"}, headers=as_role["admin"])
    assert later.json()["total"] == 0


def test_users_and_tokens_are_filtered_sorted_and_paged_by_the_domain(
    client: TestClient, as_role: dict[str, dict[str, str]]
) -> None:
    admin = as_role["admin"]
    client.patch("/api/v1/users/viewer", json={"enabled": False}, headers=admin)

    def names(**params: object) -> tuple[list[str], int]:
        page = client.get("/api/v1/users", params=params, headers=admin).json()
        return [u["username"] for u in page["items"]], page["total"]

    assert names() == (["admin", "operator", "viewer"], 3)
    assert names(role="operator") == (["operator"], 1)
    assert names(enabled="false") == (["viewer"], 1)
    assert names(name="ERA", sort="-username") == (["operator"], 1)
    assert names(sort="-username", limit=1, offset=1) == (["operator"], 3)
    assert_envelope(client.get("/api/v1/users", params={"sort": "password_hash"}, headers=admin), 400)
    assert_envelope(client.get("/api/v1/users", params={"role": "root"}, headers=admin), 422)
    for name in ("b-script", "a-script", "c-script"):
        client.post("/api/v1/tokens", json={"name": name}, headers=as_role["operator"])
    mine = client.get("/api/v1/tokens", params={"limit": 2}, headers=as_role["operator"]).json()
    assert [t["name"] for t in mine["items"]] == ["c-script", "a-script"] and mine["total"] == 3
    by_name = client.get("/api/v1/tokens", params={"sort": "name"}, headers=admin).json()
    assert [t["name"] for t in by_name["items"]] == ["a-script", "b-script", "c-script"]
    assert_envelope(client.get("/api/v1/tokens", params={"user": "admin"}, headers=as_role["operator"]), 403)
