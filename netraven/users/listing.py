"""Paged, filtered, sorted listings of users and personal API tokens, with the count of all
matching (the API's list pages; the CLI lists them whole)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.db.models import ApiToken, User
from netraven.db.paging import DEFAULT_LIMIT, Paged, contains_text, paged
from netraven.exceptions import UserError
from netraven.principal import Principal
from netraven.users.accounts import UserView, check_role
from netraven.users.tokens import ApiTokenView, visible_tokens

USER_SORTS = {
    "username": User.username,
    "role": User.role,
    "created_at": User.created_at,
    "last_login_at": User.last_login_at,
}
TOKEN_SORTS = {
    "id": ApiToken.id,
    "name": ApiToken.name,
    "created_at": ApiToken.created_at,
    "last_used_at": ApiToken.last_used_at,
    "expires_at": ApiToken.expires_at,
}


def query_users(
    session: Session,
    *,
    name: str | None = None,
    role: str | None = None,
    enabled: bool | None = None,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Paged[UserView]:
    """A page of users whose name contains ``name`` (any case), of ``role``, enabled or not;
    sorted by ``sort`` (default ``username``; ``-`` before a key: descending)."""
    query = select(User)
    if name:
        query = query.where(contains_text(User.username, name.strip()))
    if role is not None:
        query = query.where(User.role == str(check_role(role)))
    if enabled is not None:
        query = query.where(User.enabled == enabled)
    page = paged(session, query, limit=limit, offset=offset, sort=sort, columns=USER_SORTS,
                 default="username", tiebreak=(User.id,), error=UserError)  # fmt: skip
    return Paged([UserView.of(user) for user in page.items], page.total, page.limit, page.offset)


def query_api_tokens(
    session: Session,
    principal: Principal,
    *,
    user: str | None = None,
    include_revoked: bool = False,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Paged[ApiTokenView]:
    """A page of the tokens ``principal`` may see (as :func:`~netraven.users.list_api_tokens`),
    newest first unless ``sort`` says otherwise."""
    query = visible_tokens(principal, user, include_revoked)
    page = paged(session, query, limit=limit, offset=offset, sort=sort, columns=TOKEN_SORTS,
                 default="-id", tiebreak=(ApiToken.id.desc(),), error=UserError)  # fmt: skip
    return Paged([ApiTokenView.of(token) for token in page.items], page.total, page.limit, page.offset)
