"""The permission walk: every route of the OpenAPI document, for anonymous, viewer, operator and
admin, answers as the route's declared permission (``require(...)`` or ``public()``) says.

A route without a declaration, or with two, fails. Path parameters get values that exist nowhere,
and bodies are empty: a caller allowed through gets a 4xx of the route itself (404, 422...) or a
success, never 401/403 and never a 5xx; a caller not allowed gets 401 (anonymous) or 403.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.responses import StreamingResponse

from netraven.users import Role
from netraven.web.deps import Requirement, requirement_of
from tests.web.conftest import assert_envelope

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CALLERS: dict[str, Role | None] = {
    "anonymous": None,
    "viewer": Role.VIEWER,
    "operator": Role.OPERATOR,
    "admin": Role.ADMIN,
}


def declared(app: FastAPI) -> dict[tuple[str, str], Requirement]:
    """(method, path) -> the route's one permission declaration; fails on a route without one."""
    spec = app.openapi()
    routes = {
        (method, context.path): context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.original_route.methods
    }
    found: dict[tuple[str, str], Requirement] = {}
    problems = []
    for path, operations in spec["paths"].items():
        for method in operations:
            route = routes[(method.upper(), path)]
            requirements = requirement_of(route.dependant)
            if len(requirements) != 1:
                problems.append(f"{method.upper()} {path}: {len(requirements)} permission declarations")
                continue
            requirement = requirements[0]
            if method.upper() in UNSAFE and requirement.role is not None and requirement.action is None:
                problems.append(f"{method.upper()} {path}: a state-changing route without an audit action")
            found[(method.upper(), path)] = requirement
    assert not problems, "\n".join(problems)
    return found


def is_stream(app: FastAPI, method: str, path: str) -> bool:
    """Whether the route answers a stream (server-sent events): its document or response class says so."""
    responses = app.openapi()["paths"][path][method.lower()].get("responses", {})
    if any("text/event-stream" in r.get("content", {}) for r in responses.values()):
        return True
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if context.path == path and isinstance(route, APIRoute) and method in route.methods:
            response_class = getattr(route.response_class, "value", route.response_class)
            return isinstance(response_class, type) and issubclass(response_class, StreamingResponse)
    return False


def concrete(path: str) -> str:
    """The path with each parameter set to a value no object has."""
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_every_route_declares_one_permission(app: FastAPI) -> None:
    routes = declared(app)
    assert len(routes) > 20
    public = sorted(path for (method, path), r in routes.items() if r.role is None)
    assert public == ["/api/v1/auth/session", "/api/v1/auth/token", "/api/v1/health"]
    assert routes[("GET", "/api/v1/credentials")].role == Role.ADMIN
    assert routes[("POST", "/api/v1/devices")].role == Role.OPERATOR


def test_a_route_without_a_declaration_fails_the_walk(app: FastAPI) -> None:
    app.router.add_api_route("/api/v1/undeclared", lambda: {"ok": True}, methods=["GET"])
    app.openapi_schema = None
    with pytest.raises(AssertionError, match="GET /api/v1/undeclared: 0 permission declarations"):
        declared(app)


def test_permission_walk(app: FastAPI, client: TestClient, as_role: dict[str, dict[str, str]]) -> None:
    routes = declared(app)
    checked = 0
    for (method, path), requirement in sorted(routes.items()):
        for caller, role in CALLERS.items():
            allowed = requirement.role is None or (role is not None and role >= requirement.role)
            if allowed and is_stream(app, method, path):
                continue  # a stream that is allowed does not end: its own tests read it
            headers = as_role[caller] if role is not None else {}
            kwargs: dict[str, Any] = {"headers": headers}
            if method in {"POST", "PUT", "PATCH"}:
                kwargs["json"] = {}
            response = client.request(method, concrete(path), **kwargs)
            where = f"{caller} {method} {path}: {response.status_code} {response.text[:200]}"
            assert response.status_code < 500, where
            if allowed:
                assert response.status_code not in (401, 403), where
            elif role is None:
                assert_envelope(response, 401, "unauthenticated")
            else:
                assert_envelope(response, 403, "forbidden")
            checked += 1
    assert checked > 80


def test_nothing_is_readable_without_authentication(app: FastAPI, client: TestClient) -> None:
    for (method, path), requirement in declared(app).items():
        if method == "GET" and requirement.role is not None:
            assert client.get(concrete(path)).status_code == 401, path
