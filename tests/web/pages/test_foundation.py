"""The pages' foundation: login redirect, roles, CSRF, HTML errors beside the API's JSON ones,
the navigation by role, the vendored assets, and the permission declared by every page route."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts

from netraven.users import Principal, Role
from netraven.web.deps import public, requirement_of
from netraven.web.pages.auth import PageRequirement, page, safe_next
from netraven.web.pages.render import render
from tests.web.conftest import assert_envelope
from tests.web.pages.conftest import PageClient, assert_page

STATIC = Path(__file__).resolve().parents[3] / "netraven" / "web" / "static"


def page_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    """(method, path, route) of every route outside /api/v1."""
    return [
        (method, context.path, context.original_route)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and not context.path.startswith("/api/")
        for method in sorted(context.original_route.methods)
    ]


def test_every_page_route_declares_one_permission_and_forms_an_action(app: FastAPI) -> None:
    routes = page_routes(app)
    assert {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/")} <= {
        (method, path) for method, path, _ in routes
    }
    problems = []
    for method, path, route in routes:
        found = requirement_of(route.dependant)
        if len(found) != 1:
            problems.append(f"{method} {path}: {len(found)} permission declarations")
        elif method != "GET" and found[0].role is not None and found[0].action is None:
            problems.append(f"{method} {path}: a form's route without an audit action")
        elif found[0].role is not None and not isinstance(found[0], PageRequirement):
            problems.append(f"{method} {path}: declared with deps.require, not pages.auth.page")
    assert not problems, "\n".join(problems)


def test_a_page_sends_nobody_to_the_login_page_and_back(page_client: Callable[..., PageClient]) -> None:
    anonymous = page_client(None)
    response = anonymous.get("/?tab=runs")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/%3Ftab%3Druns"
    response = anonymous.get("/", headers={"HX-Request": "true"})
    assert response.headers["hx-redirect"] == "/login"


def test_an_ended_session_is_sent_to_log_in_again(page_client: Callable[..., PageClient]) -> None:
    client = page_client(None)
    client.cookies.set("netraven_session", "not-a-session")
    assert client.get("/").status_code == 303


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/devices?tag=core", "/devices?tag=core"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("devices", "/"),
        ("/x\r\nSet-Cookie: a=b", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_next_is_only_ever_a_local_path(given: str | None, expected: str) -> None:
    assert safe_next(given) == expected


def test_the_navigation_shows_each_role_its_areas(page_client: Callable[..., PageClient]) -> None:
    viewer = assert_page(page_client("viewer").get("/"), 200, 'href="/devices"', 'href="/runs"', "Log out")
    assert 'href="/admin/users"' not in viewer and 'href="/admin/audit"' not in viewer
    assert 'href="/admin/credentials"' not in viewer
    admin = assert_page(page_client("admin").get("/"), 200, 'href="/admin/users"', 'href="/admin/audit"')
    assert 'aria-current="page">Dashboard' in admin
    assert 'href="/admin/credentials"' in admin


def test_htmx_is_given_the_csrf_token_of_the_session(page_client: Callable[..., PageClient]) -> None:
    client = page_client("operator")
    html = assert_page(client.get("/"))
    match = re.search(r"hx-headers='(\{[^']*\})'", html)
    assert match and client.csrf_token in match.group(1)
    assert f'name="csrf_token" value="{client.csrf_token}"' in html


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    page_client: Callable[..., PageClient],
) -> None:
    client = page_client("viewer")
    refused = client.post_form("/logout", csrf=False)
    assert_page(refused, 403, "this form has expired")
    wrong = client.post("/logout", headers={"X-CSRF-Token": "0" * 64})
    assert_page(wrong, 403)
    assert client.get("/").status_code == 200  # still logged in
    by_header = client.post("/logout", headers={"X-CSRF-Token": client.csrf_token})
    assert by_header.status_code == 303
    assert client.get("/").status_code == 303  # the session has ended


def test_page_errors_are_pages_while_the_api_keeps_its_envelope(
    page_client: Callable[..., PageClient],
) -> None:
    client = page_client("viewer")
    missing = assert_page(client.get("/no/such/page"), 404, "Not Found", "there is no page at /no/such/page")
    assert "request id" in missing and 'href="/devices"' in missing  # the whole page, with its nav
    assert_envelope(client.get("/api/v1/no/such/thing"), 404, "not_found")
    assert_page(client.put("/", headers={"X-CSRF-Token": client.csrf_token}), 405, "Method Not Allowed")


def test_static_assets_are_served_with_their_licenses() -> None:
    vendored = sorted(p.name for p in (STATIC / "vendor").iterdir() if p.is_dir())
    assert vendored == ["htmx", "htmx-ext-sse", "pico", "uplot"]
    for directory in (STATIC / "vendor").iterdir():
        if directory.is_dir():
            assert any(p.name.startswith("LICENSE") for p in directory.iterdir()), directory


def test_the_page_links_its_static_files_and_they_are_served(page_client: Callable[..., PageClient]) -> None:
    client = page_client(None)
    html = assert_page(client.get("/login"))
    links = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any("htmx.min.js" in link for link in links) and any("pico.min.css" in link for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "internet" not in link and "://" not in link
    assert "https://" not in html.split("<body")[0]  # nothing loaded from the internet


admin_only = APIRouter()


@admin_only.get("/test-admin-only")
def _admin_only(request: Request, _principal: Annotated[Principal, page(Role.ADMIN)]) -> HTMLResponse:
    return render(request, "error.html", {"status": 200, "title": "Secret", "message": "admins only"})


def test_a_role_too_low_gets_a_403_page(app: FastAPI, page_client: Callable[..., PageClient]) -> None:
    app.include_router(admin_only)
    viewer = page_client("viewer")
    assert_page(viewer.get("/test-admin-only"), 403, "this page needs the admin role (you are viewer)")
    assert_page(page_client("admin").get("/test-admin-only"), 200, "admins only")


buggy = APIRouter()


@buggy.get("/test-bug", dependencies=[public()])
def _bug() -> HTMLResponse:
    raise RuntimeError("secret detail of a bug")


def test_a_bug_in_a_page_is_a_plain_500_page_without_its_detail(
    app: FastAPI, page_client: Callable[..., PageClient]
) -> None:
    app.include_router(buggy)
    response = page_client(None).get("/test-bug")
    html = assert_page(response, 500, "Internal Server Error", response.headers["x-request-id"])
    assert "secret detail" not in html and "Traceback" not in html
    too_big = page_client(None).post("/login", content=b"x" * 300_000, headers={"content-type": "text/plain"})
    assert_page(too_big, 413, "larger than")
    assert_envelope(page_client(None).post("/api/v1/auth/token", content=b"x" * 300_000), 413)


def test_pages_forbid_framing_and_foreign_scripts(page_client: Callable[..., PageClient]) -> None:
    for response in (page_client(None).get("/login"), page_client("viewer").get("/no/such/page")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
