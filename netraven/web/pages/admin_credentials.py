"""``/admin/credentials`` (admins): device credentials in the order they are tried; adding,
editing (priority, username, secrets, bindings), deleting. Secrets are write-only: no page, form
value or error ever shows one back. Checked with the API's ``NewCredential`` and
``CredentialChanges`` schemas and the domain (:mod:`netraven.credentials`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from netraven import credentials
from netraven.users import Principal, Role
from netraven.web.api.credentials import CredentialChanges, NewCredential
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render
from netraven.web.pages.submit import FormDep, attempt, text, words

router = APIRouter()
CredentialId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 50
SHOWN = ("name", "username", "priority", "description", "tags", "devices")  # never a secret


@router.get("/admin/credentials")
def list_credentials(
    request: Request,
    session: SessionDep,
    _admin: Annotated[Principal, page(Role.ADMIN)],
    q: str = "",
    tag: str = "",
    sort: str = "priority",
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """Credentials in the order they are tried (priority, then name), filtered by name and tag."""
    found = credentials.query_credentials(
        session, name=q.strip() or None, tag=tag.strip() or None, sort=sort, limit=LIMIT,
        offset=(page_number - 1) * LIMIT,
    )  # fmt: skip
    views = [credentials.credential_view(c) for c in found.items]
    context = {"found": found, "views": views, "filters": {"q": q, "tag": tag}, "sort": sort}
    return render(request, "admin/credentials.html", context)


def form_page(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    credential_id: int | None = None,
) -> HTMLResponse:
    context = {"values": values, "errors": errors or {}, "credential_id": credential_id}
    return render(request, "admin/credential_form.html", context, status_code=422 if errors else 200)


def shown_values(form: FormData) -> dict[str, Any]:
    """The submitted fields that may be shown again: never the password or enable secret."""
    values: dict[str, Any] = {name: text(form, name).strip() for name in SHOWN}
    values["clear_enable_secret"] = form.get("clear_enable_secret") == "1"
    return values


@router.get("/admin/credentials/new")
def new_credential(request: Request, _admin: Annotated[Principal, page(Role.ADMIN)]) -> HTMLResponse:
    """An empty credential form."""
    return form_page(request, {"priority": "100"})


@router.post("/admin/credentials/new")
def add_credential(
    request: Request,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, page(Role.ADMIN, action="credential.add")],
) -> Response:
    """Store the credential, encrypted; refused, the form again without its secrets."""
    values = shown_values(form)

    def add() -> None:
        body = NewCredential.model_validate({
            "name": values["name"], "username": values["username"], "password": text(form, "password"),
            "enable_secret": text(form, "enable_secret") or None, "priority": values["priority"] or 100,
            "tags": words(values["tags"]), "devices": words(values["devices"]),
            "description": values["description"] or None,
        })  # fmt: skip
        vault = credentials.vault_for_new_credentials(session, settings)
        credentials.add_credential(
            session, vault, body.name, body.username, body.password.get_secret_value(),
            body.enable_secret.get_secret_value() if body.enable_secret else None, body.priority,
            body.tags, body.devices, body.description,
        )  # fmt: skip

    _, errors = attempt(request, session, add)
    if errors:
        return form_page(request, values, errors)
    return RedirectResponse("/admin/credentials", status_code=303)


@router.get("/admin/credentials/{credential_id}/edit")
def edit_form(
    request: Request,
    credential_id: CredentialId,
    session: SessionDep,
    _admin: Annotated[Principal, page(Role.ADMIN)],
) -> HTMLResponse:
    """A stored credential's form: its secrets are not in it (left empty, they are kept)."""
    view = credentials.credential_view(credentials.get_credential(session, credential_id))
    values = {name: view[name] for name in SHOWN}
    values.update(
        tags=", ".join(view["tags"]), devices=", ".join(view["devices"]), priority=str(view["priority"])
    )
    values["has_enable_secret"] = view["has_enable_secret"]
    return form_page(request, values, credential_id=credential_id)


@router.post("/admin/credentials/{credential_id}/edit")
def edit_credential(
    request: Request,
    credential_id: CredentialId,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, page(Role.ADMIN, action="credential.edit")],
) -> Response:
    """Change the credential (new secrets only when typed); refused, nothing changes."""
    current = credentials.credential_view(credentials.get_credential(session, credential_id))
    values = {
        **shown_values(form),
        "name": current["name"],
        "has_enable_secret": current["has_enable_secret"],
    }

    def change() -> None:
        tags, devices = words(values["tags"]), words(values["devices"])
        enable = "" if values["clear_enable_secret"] else (text(form, "enable_secret") or None)
        body = CredentialChanges.model_validate({
            "username": values["username"], "password": text(form, "password") or None,
            "enable_secret": enable, "priority": values["priority"] or None,
            "description": values["description"],
            "add_tags": [t for t in tags if t not in current["tags"]],
            "remove_tags": [t for t in current["tags"] if t not in tags],
            "add_devices": [d for d in devices if d not in current["devices"]],
            "remove_devices": [d for d in current["devices"] if d not in devices],
        })  # fmt: skip
        secret = body.password is not None or body.enable_secret is not None
        vault = credentials.vault_for_new_credentials(session, settings) if secret else None
        credentials.edit_credential(
            session, vault, credential_id, username=body.username,  # type: ignore[arg-type]
            password=body.password.get_secret_value() if body.password else None,
            enable_secret=body.enable_secret.get_secret_value() if body.enable_secret is not None else None,
            priority=body.priority, description=body.description, add_tags=body.add_tags,
            remove_tags=body.remove_tags, add_devices=body.add_devices, remove_devices=body.remove_devices,
        )  # fmt: skip

    _, errors = attempt(request, session, change)
    if errors:
        return form_page(request, values, _renamed(errors), credential_id)
    return RedirectResponse("/admin/credentials", status_code=303)


@router.post("/admin/credentials/{credential_id}/delete")
def delete_credential(
    request: Request,
    credential_id: CredentialId,
    session: SessionDep,
    _admin: Annotated[Principal, page(Role.ADMIN, action="credential.remove")],
) -> Response:
    """Remove the credential and its bindings."""
    credentials.remove_credential(session, credential_id)
    return RedirectResponse("/admin/credentials", status_code=303)


def _renamed(errors: dict[str, str]) -> dict[str, str]:
    """The API schema's names of the bindings' fields as the form's (``add_tags`` -> ``tags``)."""
    names = {"add_tags": "tags", "remove_tags": "tags", "add_devices": "devices", "remove_devices": "devices"}
    return {names.get(field, field): message for field, message in errors.items()}
