"""``/configs/search``: a regular expression (RE2) over every device's latest config, with lines of
context, each match linking to its device and to the line in that version. Configs are searched
masked, as the API searches them for viewers, so a pattern cannot probe a secret."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netraven.configs import queries
from netraven.exceptions import NetRavenError
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors
from netraven.web.pages.render import render

router = APIRouter()
PAGE_SIZE = 50
MAX_PAGE = 2**31 // PAGE_SIZE


@router.get("/configs/search")
def search(
    request: Request,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    pattern: Annotated[str, Query(max_length=4000)] = "",
    context: Annotated[str, Query(max_length=20)] = "2",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    """The search form, and one page of the matches of ``pattern`` (by hostname, then line)."""
    values = {"pattern": pattern, "context": context}
    found, errors = None, {}
    if pattern:
        # digits are a number of lines; the domain refuses anything else, naming the field
        lines: Any = int(context) if context.strip().isdigit() else context
        try:
            found = queries.page_search(
                session,
                pattern,
                lines,
                (),
                PAGE_SIZE,
                (page_number - 1) * PAGE_SIZE,
                reveal=False,
            )
        except NetRavenError as exc:
            errors = field_errors(exc)
    groups = [
        (host, list(matches)) for host, matches in groupby(found.items if found else [], lambda m: m.hostname)
    ]
    context_values = {"values": values, "errors": errors, "found": found, "groups": groups}
    return render(request, "configs/search.html", context_values, status_code=422 if errors else 200)
