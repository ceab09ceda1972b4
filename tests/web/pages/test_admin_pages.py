"""The admin pages on SQLite and PostgreSQL: users, API tokens, credentials and the audit trail.
Admins only (others get the 403 page and no link), bad input shown next to its field with nothing
changed, no secret in any answer, and the audit rows the forms leave."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import ApiToken, AuditEntry, Credential, User
from netraven.inventory import add_device
from tests.web.conftest import PASSWORD, count
from tests.web.pages.conftest import PageClient, assert_page

SECRET, ENABLE = "Pw-Page-Secret-7", "En-Page-Secret-9"
CREDENTIAL = {"name": "lab", "username": "netops", "password": SECRET, "enable_secret": ENABLE,
              "priority": "10", "tags": "core", "devices": "", "description": "the lab"}  # fmt: skip
ADMIN_PAGES = ("/admin/users", "/admin/credentials", "/admin/credentials/new", "/admin/audit")


def actions(engine: Engine, prefix: str) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.startswith(prefix), AuditEntry.actor_kind != "system")
            .order_by(AuditEntry.id)
        )
        return [(row.action, row.outcome) for row in rows]


def error_of(text: str, field: str) -> str:
    found = re.search(rf'id="f-{field}-error"[^>]*>([^<]*)<', text)
    assert found, f"no error next to {field}:\n{text[:3000]}"
    return found.group(1)


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_admins_see_the_admin_pages_and_their_links(
    page_client: Callable[..., PageClient], engine: Engine, role: str
) -> None:
    client = page_client(role)
    home = client.get("/jobs").text
    for path in ADMIN_PAGES:
        assert f'href="{path}"' not in home
        assert_page(client.get(path), 403)
    assert_page(client.post_form("/admin/users", {"username": "eve", "password": PASSWORD}), 403)
    assert_page(client.post_form("/admin/credentials/new", CREDENTIAL), 403)
    assert count(engine, Credential) == 0
    admin_home = page_client("admin").get("/jobs").text
    assert all(
        f'href="{path}"' in admin_home for path in ("/admin/users", "/admin/credentials", "/admin/audit")
    )


def test_an_admin_adds_and_manages_a_user(page_client: Callable[..., PageClient], engine: Engine) -> None:
    admin = page_client("admin")
    assert_page(admin.get("/admin/users"), 200, "Add a user", ">admin<")
    added = admin.post_form("/admin/users", {"username": "olga", "full_name": "Olga", "role": "operator",
                                             "password": PASSWORD})  # fmt: skip
    assert added.status_code == 303 and added.headers["location"] == "/admin/users?added=olga"
    listing = assert_page(admin.get("/admin/users", params={"q": "olg"}), 200, "olga", "operator")
    assert PASSWORD not in listing
    assert admin.post_form("/admin/users/olga", {"change": "role", "role": "viewer"}).status_code == 303
    assert admin.post_form("/admin/users/olga", {"change": "disable"}).status_code == 303
    page = assert_page(admin.get("/admin/users/olga?done=disable"), 200, "User disabled", "Enable")
    assert "viewer" in page
    assert (
        admin.post_form("/admin/users/olga", {"change": "password", "password": "x" * 20}).status_code == 303
    )
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "olga"))
        assert user is not None and (user.role, user.enabled) == ("viewer", False)
    assert actions(engine, "user.") == [("user.add", "succeeded"), ("user.edit", "succeeded"),
                                        ("user.edit", "succeeded"), ("user.passwd", "succeeded")]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": ""}, "username", "String should have at least 1 character"),
        ({"username": "bad name"}, "username", "expected 1 to 64 letters"),
        ({"username": "x" * 65}, "username", "at most 64 characters"),
        ({"username": "admin"}, "username", "already exists"),
        ({"password": "short"}, "password", "too short"),
        ({"role": "root"}, "role", "Input should be"),
    ],
)
def test_bad_user_input_is_shown_next_to_its_field(
    page_client: Callable[..., PageClient], engine: Engine, fields: dict[str, str], field: str, message: str
) -> None:
    admin = page_client("admin")
    before = count(engine, User)
    response = admin.post_form(
        "/admin/users", {"username": "olga", "role": "viewer", "password": PASSWORD, **fields}
    )
    text = assert_page(response, 422)
    assert message in error_of(text, field)
    assert PASSWORD not in text and count(engine, User) == before
    assert actions(engine, "user.add") == [("user.add", "failed")]


def test_the_last_admin_cannot_be_disabled_from_the_page(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    admin = page_client("admin")
    refused = admin.post_form("/admin/users/admin", {"change": "disable"})
    assert_page(refused, 422, "last enabled admin")
    bad = admin.post_form("/admin/users/admin", {"change": "password", "password": "short"})
    assert "too short" in error_of(assert_page(bad, 422), "password")
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == "admin"))
        assert user is not None and user.enabled


def test_tokens_are_shown_once_listed_without_secret_and_revoked(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    viewer = page_client("viewer")
    assert_page(viewer.get("/admin/tokens"), 200, "My API tokens", "No API token yet")
    created = assert_page(
        viewer.post_form("/admin/tokens", {"name": "export", "role": ""}), 200, "shown this once"
    )
    secret = re.search(r'value="(nrt_[^"]+)"', created)
    assert secret
    listing = assert_page(viewer.get("/admin/tokens"), 200, "export", secret.group(1)[:12])
    assert secret.group(1) not in listing
    # a viewer cannot make a stronger token, nor one for someone else, nor see others'
    refused = viewer.post_form("/admin/tokens", {"name": "x", "role": "admin"})
    assert "above the role" in error_of(assert_page(refused, 422), "role")
    assert 'name="user"' not in listing
    admin = page_client("admin")
    admin.post_form("/admin/tokens", {"name": "for-viewer", "user": "viewer"})
    everyone = assert_page(admin.get("/admin/tokens"), 200, "for-viewer", "export")
    assert "nrt_" in everyone and secret.group(1) not in everyone
    assert "for-viewer" in viewer.get("/admin/tokens").text
    assert "for-viewer" not in page_client("operator").get("/admin/tokens").text
    with Session(engine) as session:
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "export"))
    assert viewer.post_form(f"/admin/tokens/{token_id}/revoke").status_code == 303
    assert "<td>export</td>" not in viewer.get("/admin/tokens").text
    bad_expiry = viewer.post_form("/admin/tokens", {"name": "old", "expires_at": "2001-01-01T00:00"})
    assert "in the future" in error_of(assert_page(bad_expiry, 422), "expires_at")
    assert actions(engine, "token.") == [("token.create", "succeeded"), ("token.create", "failed"),
        ("token.create", "succeeded"), ("token.revoke", "succeeded"), ("token.create", "failed")]  # fmt: skip


def test_an_admin_adds_edits_and_deletes_a_credential_and_no_secret_comes_back(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    with Session(engine) as session, session.begin():
        add_device(session, "r1", "192.0.2.1", "cisco_ios", tags=["core"])
    admin = page_client("admin")
    assert_page(admin.get("/admin/credentials"), 200, "No credential yet")
    assert admin.post_form("/admin/credentials/new", CREDENTIAL).status_code == 303
    listing = assert_page(admin.get("/admin/credentials"), 200, "lab", "netops", "core")
    with Session(engine) as session:
        credential = session.scalar(select(Credential))
        assert credential is not None
        cred_id = credential.id
    form = assert_page(
        admin.get(f"/admin/credentials/{cred_id}/edit"), 200, 'value="netops"', "Stored: leave empty"
    )
    changed = admin.post_form(f"/admin/credentials/{cred_id}/edit", {**CREDENTIAL, "password": "", "enable_secret": "",
                                                                      "priority": "3", "devices": "r1"})  # fmt: skip
    assert changed.status_code == 303
    refused = admin.post_form(
        f"/admin/credentials/{cred_id}/edit", {**CREDENTIAL, "priority": "-1", "password": "New-Secret-1"}
    )
    refused_text = assert_page(refused, 422)
    assert "priority must be 0 or more" in error_of(refused_text, "priority")
    with Session(engine) as session:
        stored = session.get(Credential, cred_id)
        assert stored is not None and stored.priority == 3 and [d.hostname for d in stored.devices] == ["r1"]
    for text in (
        listing,
        form,
        refused_text,
        admin.get("/admin/credentials").text,
        admin.get("/admin/audit").text,
    ):
        assert SECRET not in text and ENABLE not in text and "New-Secret-1" not in text
    assert admin.post_form(f"/admin/credentials/{cred_id}/delete").status_code == 303
    assert count(engine, Credential) == 0
    assert actions(engine, "credential.") == [("credential.add", "succeeded"), ("credential.edit", "succeeded"),
        ("credential.edit", "failed"), ("credential.remove", "succeeded")]  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "credential name is empty"),
        ({"name": "x" * 256}, "name", "longer than 255"),
        ({"name": "taken"}, "name", "already exists"),
        ({"username": ""}, "username", "username is empty"),
        ({"password": ""}, "password", "the password is empty"),
        ({"priority": "soon"}, "priority", "valid integer"),
        ({"devices": "ghost"}, "devices", "no device named"),
    ],
)
def test_bad_credential_input_is_shown_next_to_its_field_without_secrets(
    page_client: Callable[..., PageClient], engine: Engine, fields: dict[str, str], field: str, message: str
) -> None:
    admin = page_client("admin")
    admin.post_form("/admin/credentials/new", {**CREDENTIAL, "name": "taken"})
    before = count(engine, Credential)
    text = assert_page(admin.post_form("/admin/credentials/new", {**CREDENTIAL, **fields}), 422)
    assert message in error_of(text, field)
    assert SECRET not in text and ENABLE not in text
    assert count(engine, Credential) == before


def test_the_audit_trail_is_filtered_and_paged(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    admin = page_client("admin")
    assert_page(admin.get("/admin/audit"), 200, "Audit trail")
    admin.post_form("/admin/users", {"username": "olga", "role": "viewer", "password": PASSWORD})
    admin.post_form("/admin/users", {"username": "olga", "role": "viewer", "password": PASSWORD})  # taken
    failed = assert_page(
        admin.get("/admin/audit", params={"outcome": "failed"}), 200, "user.add", "already exists"
    )
    assert "succeeded</span>" not in failed
    assert_page(admin.get("/admin/audit", params={"action": "user.*", "actor": "admin"}), 200, "olga")
    none = assert_page(admin.get("/admin/audit", params={"actor": "nobody"}), 200, "No audit entry matches")
    assert "olga" not in none
    bad = admin.get("/admin/audit", params={"since": "last tuesday"})
    assert "expected a duration ago" in error_of(assert_page(bad, 422), "since")
    maybe = admin.get("/admin/audit", params={"outcome": "maybe"})
    assert "unknown outcome" in error_of(assert_page(maybe, 422), "outcome")
