"""``/admin/users`` (admins): users with their role and state; adding one; on a user's page,
changing the role, disabling or enabling, ending a lockout and setting a new password. Input is
checked with the API's schemas (``NewUser``, ``UserChanges``) and the domain (:mod:`netraven.users`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from netraven import users
from netraven.users import Principal, Role
from netraven.web.api.users import NewUser, UserChanges
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render
from netraven.web.pages.submit import FormDep, attempt, text

router = APIRouter()
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 50
ROLES = ("viewer", "operator", "admin")


def users_page(
    request: Request,
    session: Session,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    page_number: int = 1,
) -> HTMLResponse:
    """The users listing (filtered by the query) with the add form (``values``, ``errors``)."""
    params = request.query_params
    filters = {
        "q": params.get("q", ""),
        "role": params.get("has_role", ""),
        "enabled": params.get("enabled", ""),
    }
    found = users.query_users(
        session,
        name=filters["q"].strip() or None,
        role=filters["role"] or None,
        enabled={"yes": True, "no": False}.get(filters["enabled"]),
        sort=params.get("sort") or None,
        limit=LIMIT,
        offset=(page_number - 1) * LIMIT,
    )
    context = {
        "found": found,
        "filters": filters,
        "sort": params.get("sort", "username"),
        "roles": ROLES,
        "values": values or {"role": "viewer"},
        "errors": errors or {},
        "added": params.get("added"),
    }
    return render(request, "admin/users.html", context, status_code=422 if errors else 200)


@router.get("/admin/users")
def list_users(
    request: Request,
    session: SessionDep,
    _admin: Annotated[Principal, page(Role.ADMIN)],
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """Users by name, filtered by name, role and state, and the form to add one."""
    return users_page(request, session, page_number=page_number)


@router.post("/admin/users")
def add_user(
    request: Request,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, page(Role.ADMIN, action="user.add")],
) -> Response:
    """Add a user; refused, the form again with the reason next to its field (the password blank)."""
    values = {name: text(form, name) for name in ("username", "full_name", "role")}

    def add() -> str:
        body = NewUser.model_validate({**values, "password": text(form, "password"),
                                       "full_name": values["full_name"] or None})  # fmt: skip
        return users.add_user(
            session, settings, body.username, body.password, body.role, body.full_name
        ).username

    added, errors = attempt(request, session, add)
    if errors:
        return users_page(request, session, values, errors)
    return RedirectResponse(f"/admin/users?added={added}", status_code=303)


def user_page(
    request: Request, session: Session, username: str, errors: dict[str, str] | None = None, done: str = ""
) -> HTMLResponse:
    context = {
        "user": users.get_user(session, username),
        "roles": ROLES,
        "errors": errors or {},
        "done": done,
    }
    return render(request, "admin/user.html", context, status_code=422 if errors else 200)


@router.get("/admin/users/{username}")
def show_user(
    request: Request, username: str, session: SessionDep, _admin: Annotated[Principal, page(Role.ADMIN)]
) -> HTMLResponse:
    """A user's page: role, state, lockout, new password."""
    return user_page(request, session, username, done=request.query_params.get("done", ""))


@router.post("/admin/users/{username}")
def edit_user(
    request: Request,
    username: str,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, page(Role.ADMIN, action="user.edit")],
) -> Response:
    """One change of the user's (the form's ``change``: role, enable, disable, unlock, password)."""
    users.get_user(session, username)
    change = text(form, "change")
    choices: dict[str, dict[str, Any]] = {
        "role": {"role": text(form, "role")},
        "enable": {"enabled": True},
        "disable": {"enabled": False},
        "unlock": {"unlock": True},
        "password": {"password": text(form, "password")},
    }
    fields = choices.get(change, {})

    def apply() -> None:
        body = UserChanges.model_validate(fields)
        if body.password is not None:
            users.set_password(session, settings, username, body.password)
        if body.role is not None or body.enabled is not None or body.unlock:
            users.edit_user(session, username, role=body.role, enabled=body.enabled, unlock=body.unlock)

    if not fields:
        return user_page(request, session, username, {"__all__": f"unknown change {change!r}"})
    _, errors = attempt(request, session, apply)
    if errors:
        return user_page(request, session, username, errors)
    return RedirectResponse(f"/admin/users/{username}?done={change}", status_code=303)
