"""``/devices/{hostname}``: a device's facts and tags, the credential that last worked (its name
only), its config timeline (paged, two versions picked to compare), its run history (paged) and
the connection transcripts of its recent runs (masked)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from netraven import inventory, jobs, logs
from netraven.configs import queries
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render

router = APIRouter()
VERSIONS_PER_PAGE = 20
RUNS_PER_PAGE = 10
TRANSCRIPT_RUNS = 3
MAX_PAGE = 2**31 // VERSIONS_PER_PAGE
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get("/devices/{hostname}")
def device_detail(
    hostname: str,
    request: Request,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    versions: PageNumber = 1,
    runs: PageNumber = 1,
) -> HTMLResponse:
    """One device: facts, timeline (``versions``: its page), run history (``runs``: its page), transcripts."""
    device = inventory.get_device(session, hostname)
    timeline = queries.page_history(session, device.id, VERSIONS_PER_PAGE, (versions - 1) * VERSIONS_PER_PAGE)
    results = jobs.page_device_results(
        session, device.id, limit=RUNS_PER_PAGE, offset=(runs - 1) * RUNS_PER_PAGE
    )
    transcripts = [
        replace(t, text=queries.masked(t.text))  # stored redacted; masked again by the config patterns
        for t in logs.device_transcripts(session, device.id, TRANSCRIPT_RUNS)
    ]
    newest = timeline.items[0] if timeline.items and versions == 1 else None
    context = {
        "device": device,
        "credential": device.last_credential.name if device.last_credential else None,
        "timeline": timeline,
        "results": results,
        "transcripts": transcripts,
        "pick": (newest.previous, newest.version) if newest and newest.previous else None,
    }
    return render(request, "devices/detail.html", context)
