"""``/``: the dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from netraven.users import Principal, Role
from netraven.web.pages.auth import page
from netraven.web.pages.render import render

router = APIRouter()


@router.get("/")
def dashboard(request: Request, _principal: Annotated[Principal, page(Role.VIEWER)]) -> HTMLResponse:
    """The fleet at a glance."""
    return render(request, "dashboard.html")
