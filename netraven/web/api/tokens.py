"""Personal API tokens (``/tokens``): long-lived, for scripts. Their owner or an admin lists,
creates and revokes them; the secret is in the creation response only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from netraven import users
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["tokens"])
RoleName = Literal["viewer", "operator", "admin"]


class ApiToken(Strict):
    """A personal API token as listed: never its secret."""

    id: int
    user: str = Field(examples=["alice"])
    name: str = Field(examples=["backup-script"])
    role: RoleName
    prefix: str = Field(
        description="The first characters of the token, to recognise it.", examples=["nrt_Ab12Cd34"]
    )
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool


class NewApiToken(Strict):
    """A token to create; its role defaults to its user's and may not exceed it."""

    name: str = Field(min_length=1, max_length=255, examples=["backup-script"])
    role: RoleName | None = None
    expires_at: datetime | None = Field(default=None, description="Time zone aware; none: never expires.")
    user: str | None = Field(default=None, description="Admins: create the token for this user.")


class CreatedApiToken(Strict):
    """The new token and its secret: shown this once, stored only as a digest."""

    token: ApiToken
    secret: str = Field(examples=["nrt_..."])


def token_out(view: Any) -> ApiToken:
    return ApiToken.model_validate(view.to_dict())


@router.get("/tokens", response_model=Page[ApiToken])
def list_tokens(
    session: SessionDep,
    principal: Annotated[Principal, require(Role.VIEWER)],
    page: PagingDep,
    user: Annotated[str | None, Query(description="Admins: this user's tokens only.")] = None,
    include_revoked: bool = False,
    sort: Annotated[
        str | None, Query(description="id, name, created_at, last_used_at or expires_at; '-': descending.")
    ] = None,
) -> Page[ApiToken]:
    """Your tokens (an admin: everyone's, or one user's), newest first unless ``sort`` says otherwise."""
    found = users.query_api_tokens(
        session,
        principal,
        user=user,
        include_revoked=include_revoked,
        sort=sort,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page([token_out(view) for view in found.items], found.total)


@router.post("/tokens", response_model=CreatedApiToken, status_code=201)
def create_token(
    body: NewApiToken,
    session: SessionDep,
    principal: Annotated[Principal, require(Role.VIEWER, action="token.create")],
) -> CreatedApiToken:
    """A new token for you (an admin: for ``user``); its secret is in this response only."""
    view, secret = users.create_api_token(
        session, principal, body.name, body.role, body.expires_at, user=body.user
    )
    return CreatedApiToken(token=token_out(view), secret=secret)


@router.delete("/tokens/{token_id}", response_model=ApiToken)
def revoke_token(
    token_id: int,
    session: SessionDep,
    principal: Annotated[Principal, require(Role.VIEWER, action="token.revoke")],
) -> ApiToken:
    """Revoke a token at once (yours; an admin: anyone's). It stays listed, as revoked."""
    return token_out(users.revoke_api_token(session, principal, token_id))
