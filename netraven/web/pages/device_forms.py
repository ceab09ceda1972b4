"""Operators' device forms: ``/devices/new``, ``/devices/{hostname}/edit``, ``/devices/{hostname}/delete``.

Each form is validated with the API's schema (``NewDevice``, ``DeviceChanges``), then by the same
inventory function the API calls, inside a savepoint: a refused form is shown again with each
error next to its field (status 422) and nothing is written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from netraven import inventory
from netraven.exceptions import NetRavenError
from netraven.platforms import known_platforms
from netraven.users import Principal, Role
from netraven.web.api.devices import DeviceChanges, NewDevice
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.forms import field_errors, form_values
from netraven.web.pages.render import render

router = APIRouter()
TAG_SPLIT = re.compile(r"[,;|]")


def tag_list(text: str) -> list[str]:
    """Tag names typed as ``core, site-a`` (commas, semicolons or bars between them)."""
    return [name.strip() for name in TAG_SPLIT.split(text) if name.strip()]


def device_url(hostname: str) -> str:
    return f"/devices/{quote(hostname, safe='')}"


def form_page(
    request: Request, device: Any, values: dict[str, Any], errors: dict[str, str] | None = None
) -> HTMLResponse:
    """The add (``device`` None) or edit form, filled with ``values``, with ``errors`` by field."""
    context = {
        "device": device,
        "values": values,
        "errors": errors or {},
        "platforms": sorted(known_platforms()),
    }
    return render(request, "devices/form.html", context, status_code=422 if errors else 200)


@router.get("/devices/new")
def new_device(request: Request, _operator: Annotated[Principal, page(Role.OPERATOR)]) -> HTMLResponse:
    """The form to add a device."""
    return form_page(request, None, {"port": "22", "enabled": "1"})


@router.post("/devices/new")
async def add_device(
    request: Request,
    session: SessionDep,
    _operator: Annotated[Principal, page(Role.OPERATOR, action="device.add")],
) -> Response:
    """Add the device of the form, then show it."""
    values = form_values(await request.form())
    try:
        body = NewDevice(
            hostname=values.get("hostname", ""),
            host=values.get("host", ""),
            platform=values.get("platform", ""),
            port=values.get("port") or 22,  # type: ignore[arg-type]  # the schema converts the text
            tags=tag_list(values.get("tags", "")),
            description=values.get("description") or None,
            enabled="enabled" in values,
        )
        with session.begin_nested():  # refused: this savepoint is rolled back, nothing is written
            device = inventory.add_device(
                session, body.hostname, body.host, body.platform, port=body.port, tags=body.tags,
                description=body.description, enabled=body.enabled,
            )  # fmt: skip
    except (ValidationError, NetRavenError) as exc:
        return form_page(request, None, values, field_errors(exc))
    return RedirectResponse(device_url(device.hostname), status_code=303)


@router.get("/devices/{hostname}/edit")
def edit_form(
    hostname: str, request: Request, session: SessionDep, _operator: Annotated[Principal, page(Role.OPERATOR)]
) -> HTMLResponse:
    """The form to change a device (its name stays)."""
    device = inventory.get_device(session, hostname)
    values = {
        "host": device.host,
        "port": str(device.port),
        "platform": device.platform,
        "tags": ", ".join(device.tag_names()),
        "description": device.description or "",
        "enabled": "1" if device.enabled else "",
    }
    return form_page(request, device, {k: v for k, v in values.items() if v})


@router.post("/devices/{hostname}/edit")
async def edit_device(
    hostname: str,
    request: Request,
    session: SessionDep,
    _operator: Annotated[Principal, page(Role.OPERATOR, action="device.edit")],
) -> Response:
    """Apply the form's changes (its tags replace the device's), then show the device."""
    device = inventory.get_device(session, hostname)
    values = form_values(await request.form())
    wanted, current = tag_list(values.get("tags", "")), device.tag_names()
    try:
        body = DeviceChanges(
            host=values.get("host", ""),
            port=values.get("port", ""),  # type: ignore[arg-type]  # the schema converts the text
            platform=values.get("platform", ""),
            description=values.get("description", ""),
            enabled="enabled" in values,
            add_tags=[name for name in wanted if name not in current],
            remove_tags=[name for name in current if name not in wanted],
        )
        with session.begin_nested():
            inventory.edit_device(
                session, device.id, host=body.host, port=body.port, platform=body.platform,
                description=body.description, enabled=body.enabled, add_tags=body.add_tags,
                remove_tags=body.remove_tags,
            )  # fmt: skip
    except (ValidationError, NetRavenError) as exc:
        errors = field_errors(exc)
        for name in ("add_tags", "remove_tags"):
            if name in errors:
                errors["tags"] = errors.pop(name)
        session.expire_all()  # the form shows the device as it is stored
        return form_page(request, inventory.get_device(session, hostname), values, errors)
    return RedirectResponse(device_url(device.hostname), status_code=303)


@router.get("/devices/{hostname}/delete")
def confirm_delete(
    hostname: str, request: Request, session: SessionDep, _operator: Annotated[Principal, page(Role.OPERATOR)]
) -> HTMLResponse:
    """Ask before deleting a device, saying what goes with it."""
    device = inventory.get_device(session, hostname)
    return render(request, "devices/delete.html", {"device": device})


@router.post("/devices/{hostname}/delete")
def delete_device(
    hostname: str,
    session: SessionDep,
    _operator: Annotated[Principal, page(Role.OPERATOR, action="device.remove")],
) -> Response:
    """Delete the device with its stored configs, then go back to the devices."""
    inventory.remove_device(session, hostname)
    return RedirectResponse("/devices", status_code=303)
