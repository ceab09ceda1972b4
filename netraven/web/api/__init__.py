"""The routers of ``/api/v1``, one module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from netraven.web.api import (
    audit,
    auth,
    configs,
    credentials,
    devices,
    health,
    jobs,
    logs,
    plugins,
    runs,
    tags,
    tokens,
    users,
)


def routers() -> list[APIRouter]:
    """Every router, in the order of the OpenAPI document."""
    return [
        health.router,
        auth.router,
        tokens.router,
        users.router,
        audit.router,
        devices.router,
        tags.router,
        credentials.router,
        plugins.router,
        jobs.router,
        runs.router,
        configs.router,
        logs.router,
    ]
