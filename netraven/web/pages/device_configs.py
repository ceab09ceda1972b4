"""A device's stored configs: ``/devices/{hostname}/configs/{version}`` (one version, ``?raw=1`` to
download it) and ``/devices/{hostname}/diff?a=&b=&mode=side|unified`` (two versions compared).

Secrets are masked by the redactor's patterns, as the API masks them for viewers; an admin sees
them only by asking (``?reveal=1``), and each reveal is written to the audit trail.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from netraven import audit, inventory
from netraven.configs import queries
from netraven.configs.compare import MAX_CONTEXT, compare
from netraven.exceptions import PermissionDenied
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import PAGE_HEADERS, render

router = APIRouter()
MAX_VERSION = 2**31 - 1
Version = Annotated[int, Path(ge=1, le=MAX_VERSION)]
Picked = Annotated[int | None, Query(ge=1, le=MAX_VERSION)]


@router.get("/devices/{hostname}/configs/{version}", response_model=None)
def config_version(
    hostname: str,
    version: Version,
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, page(Role.VIEWER)],
    raw: bool = False,
    reveal: bool = False,
) -> HTMLResponse | PlainTextResponse:
    """One version, masked (an admin's ``reveal`` shows it as stored, audited); ``raw``: the file."""
    device = inventory.get_device(session, hostname)
    if reveal:
        if not principal.allows(Role.ADMIN):
            raise PermissionDenied("showing a config's secrets needs the admin role")
        audit.record(session, "config.reveal", "device", device.hostname, {"version": version, "raw": raw})
    stored = queries.get(session, device.id, version, reveal=reveal)
    if raw:
        name = f"{stored.hostname}-v{stored.version}.cfg".replace('"', "")
        headers = {**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return PlainTextResponse(stored.text, headers=headers)
    older, newer = queries.neighbours(session, device.id, version)
    context = {
        "device": device,
        "stored": stored,
        "lines": stored.text.splitlines(),
        "masked": not (reveal or stored.redacted),
        "older": older,
        "newer": newer,
    }
    return render(request, "devices/config.html", context)


@router.get("/devices/{hostname}/diff")
def config_diff(
    hostname: str,
    request: Request,
    session: SessionDep,
    _viewer: Annotated[Principal, page(Role.VIEWER)],
    a: Picked = None,
    b: Picked = None,
    mode: Literal["side", "unified"] = "side",
    context: Annotated[int, Query(ge=0, le=MAX_CONTEXT)] = 3,
) -> HTMLResponse:
    """Versions ``a`` and ``b`` compared (default: the two newest), side by side or unified, masked."""
    device = inventory.get_device(session, hostname)
    if a is None or b is None:
        newest = [v.version for v in queries.history(session, device.id, 2)]
        b = b or (newest[0] if newest else None)
        a = a or (queries.neighbours(session, device.id, b)[0] if b else None)
    found = compare(session, device.id, a, b, context) if a and b else None
    values = {"device": device, "diff": found, "a": a, "b": b, "mode": mode, "context": context}
    return render(request, "devices/diff.html", values)
