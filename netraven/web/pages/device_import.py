"""``/devices/import``: an operator uploads a CSV, YAML or JSON device file, imported by the same
function as ``netraven device import`` and the API's ``POST /devices/import``: all or nothing, and
when any row is bad, every bad row is listed and nothing is imported."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from netraven import inventory
from netraven.exceptions import NetRavenError
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep
from netraven.web.pages.auth import page
from netraven.web.pages.device_forms import tag_list
from netraven.web.pages.forms import field_errors, form_values
from netraven.web.pages.render import render

router = APIRouter()


def import_page(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    rows: tuple[str, ...] = (),
    report: Any = None,
) -> HTMLResponse:
    """The upload form with ``errors`` by field, the bad ``rows`` of a refused file, or the ``report``."""
    context = {"values": values, "errors": errors or {}, "rows": rows, "report": report}
    return render(request, "devices/import.html", context, status_code=422 if errors else 200)


@router.get("/devices/import")
def import_form(request: Request, _operator: Annotated[Principal, page(Role.OPERATOR)]) -> HTMLResponse:
    """The form to upload a device file."""
    return import_page(request, {})


@router.post("/devices/import")
async def import_file(
    request: Request,
    session: SessionDep,
    _operator: Annotated[Principal, page(Role.OPERATOR, action="device.import")],
) -> HTMLResponse:
    """Import the uploaded file; show what it did, or every bad row with nothing imported."""
    form = await request.form()
    values = form_values(form)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return import_page(request, values, {"file": "choose a .csv, .yaml, .yml or .json file of devices"})
    content = await upload.read()
    await upload.close()
    try:
        with session.begin_nested():  # refused: this savepoint is rolled back, nothing is written
            report = inventory.import_upload(
                session,
                upload.filename,
                content,
                tag_list(values.get("default_tags", "")),
                "update" in values,
            )
    except inventory.ImportValidationError as exc:
        return import_page(request, values, {"file": str(exc)}, exc.errors)
    except NetRavenError as exc:
        errors = field_errors(exc)
        return import_page(
            request, values, errors if set(errors) <= {"file", "default_tags"} else {"file": str(exc)}
        )
    return import_page(request, {}, report=report)
