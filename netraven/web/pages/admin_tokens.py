"""``/admin/tokens``: personal API tokens. Everyone sees and manages their own; an admin sees
everyone's and creates them for any user. A new token's secret is shown once, on the answer to
its form, and never again (it is stored as a digest). Checked with the API's ``NewApiToken``
schema and the domain (:func:`netraven.users.create_api_token`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from netraven import users
from netraven.exceptions import UserError
from netraven.jobs.schedules import local_to_utc
from netraven.settings import Settings
from netraven.users import Principal, Role
from netraven.web.api.jobs import tz_of
from netraven.web.api.tokens import NewApiToken
from netraven.web.deps import SessionDep, SettingsDep
from netraven.web.pages.auth import page
from netraven.web.pages.render import render
from netraven.web.pages.submit import FormDep, attempt, text

router = APIRouter()
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=10**6)]
LIMIT = 50


def tokens_page(
    request: Request,
    session: Session,
    principal: Principal,
    settings: Settings,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    created: tuple[Any, str] | None = None,
    page_number: int = 1,
) -> HTMLResponse:
    """The tokens ``principal`` may see, the form to create one, and a new one's secret (once)."""
    params = request.query_params
    admin = principal.allows(Role.ADMIN)
    owner = params.get("user", "").strip() if admin else ""
    found = users.query_api_tokens(
        session,
        principal,
        user=owner or None,
        include_revoked=params.get("revoked") == "1",
        limit=LIMIT,
        offset=(page_number - 1) * LIMIT,
    )
    context = {
        "found": found,
        "admin": admin,
        "owner": owner,
        "show_revoked": params.get("revoked") == "1",
        "roles": [str(role) for role in Role if principal.allows(role)],
        "values": values or {},
        "errors": errors or {},
        "created": created,
        "timezone": settings.scheduler.timezone,
    }
    return render(request, "admin/tokens.html", context, status_code=422 if errors else 200)


@router.get("/admin/tokens")
def list_tokens(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, page(Role.VIEWER)],
    page_number: PageNumber = 1,
) -> HTMLResponse:
    """Your tokens (an admin: everyone's, or one user's), newest first."""
    return tokens_page(request, session, principal, settings, page_number=page_number)


@router.post("/admin/tokens")
def create_token(
    request: Request,
    form: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, page(Role.VIEWER, action="token.create")],
) -> Response:
    """Create a token and show its secret this once; refused, the form with the reason."""
    values = {name: text(form, name).strip() for name in ("name", "role", "expires_at", "user")}

    def create() -> tuple[Any, str]:
        body = NewApiToken.model_validate({
            "name": values["name"], "role": values["role"] or None, "user": values["user"] or None,
            "expires_at": expiry(values["expires_at"], settings),
        })  # fmt: skip
        return users.create_api_token(
            session, principal, body.name, body.role, body.expires_at, user=body.user
        )

    created, errors = attempt(request, session, create)
    if errors:
        return tokens_page(request, session, principal, settings, values, errors)
    return tokens_page(request, session, principal, settings, created=created)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    token_id: TokenId,
    session: SessionDep,
    principal: Annotated[Principal, page(Role.VIEWER, action="token.revoke")],
) -> Response:
    """Revoke a token at once (yours; an admin: anyone's)."""
    users.revoke_api_token(session, principal, token_id)
    return RedirectResponse("/admin/tokens", status_code=303)


def expiry(value: str, settings: Settings) -> datetime | None:
    """A ``datetime-local`` field's value: a wall-clock time in the scheduler's zone, as UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"expiry {value!r}: expected a date and time", field="expires_at") from None
    return moment if moment.utcoffset() is not None else local_to_utc(moment, tz_of(settings))
