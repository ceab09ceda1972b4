"""The web pages: server-rendered HTML (Jinja2) with htmx, served beside the API by ``netraven serve``.

Each area is a module of this package with ``router = APIRouter()``; :data:`AREAS` names them and
:func:`routers` imports them. A page declares its role with :func:`netraven.web.pages.auth.page`,
renders with :func:`netraven.web.pages.render.render`, calls the same domain functions as the API
and validates input with the API's pydantic schemas.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter

AREAS: tuple[str, ...] = (
    "login",
    "dashboard",
    "devices",
    "device_import",
    "device_forms",
    "device_detail",
    "device_configs",
    "configs_search",
    "job_form",
    "jobs",
    "runs",
    "live",
    "logs",
    "admin_users",
    "admin_tokens",
    "admin_credentials",
    "admin_audit",
)


def routers() -> list[APIRouter]:
    """The router of every area of :data:`AREAS`, in order."""
    found: list[APIRouter] = []
    for name in AREAS:
        router = importlib.import_module(f"{__name__}.{name}").router
        assert isinstance(router, APIRouter), f"{__name__}.{name}.router is not an APIRouter"
        found.append(router)
    return found
