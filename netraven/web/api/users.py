"""Users (``/users``, admins only): list, show, add, edit (role, enabled, name, lockout,
password) and remove. The last enabled admin cannot be removed, disabled or demoted."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import Field

from netraven import users
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, SettingsDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["users"])
RoleName = Literal["viewer", "operator", "admin"]


class User(Strict):
    """A user: never a password or its hash."""

    id: int
    username: str = Field(examples=["alice"])
    role: RoleName
    full_name: str | None = Field(examples=["Alice Martin"])
    enabled: bool
    has_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime | None


class NewUser(Strict):
    """A user to add; the password is at least ``web.min_password_length`` long."""

    username: str = Field(min_length=1, max_length=64, examples=["alice"])
    password: str = Field(min_length=1, max_length=4096, examples=["correct horse battery staple"])
    role: RoleName = "viewer"
    full_name: str | None = Field(default=None, max_length=255)


class UserChanges(Strict):
    """Fields to change; those left out stay as they are."""

    role: RoleName | None = None
    enabled: bool | None = None
    full_name: str | None = Field(default=None, max_length=255)
    unlock: bool = Field(default=False, description="End a lockout after failed logins.")
    password: str | None = Field(default=None, min_length=1, max_length=4096)


def user_out(view: Any) -> User:
    return User.model_validate(view.to_dict())


@router.get("/users", response_model=Page[User])
def list_users(
    session: SessionDep,
    page: PagingDep,
    _admin: Annotated[Principal, require(Role.ADMIN)],
    name: Annotated[str | None, Query(description="User name contains this (any case).")] = None,
    role: RoleName | None = None,
    enabled: bool | None = None,
    sort: Annotated[
        str | None, Query(description="username, role, created_at or last_login_at; '-': descending.")
    ] = None,
) -> Page[User]:
    """Users, by name unless ``sort`` says otherwise."""
    found = users.query_users(
        session, name=name, role=role, enabled=enabled, sort=sort, limit=page.limit, offset=page.offset
    )
    return page.page([user_out(view) for view in found.items], found.total)


@router.get("/users/{username}", response_model=User)
def get_user(username: str, session: SessionDep, _admin: Annotated[Principal, require(Role.ADMIN)]) -> User:
    """One user."""
    return user_out(users.get_user(session, username))


@router.post("/users", response_model=User, status_code=201)
def add_user(
    body: NewUser,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="user.add")],
) -> User:
    """Add a user with a password and a role."""
    return user_out(
        users.add_user(session, settings, body.username, body.password, body.role, body.full_name)
    )


@router.patch("/users/{username}", response_model=User)
def edit_user(
    username: str,
    body: UserChanges,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="user.edit")],
) -> User:
    """Change a user's role, enabled flag, full name or password, or end a lockout."""
    if body.password is not None:
        users.set_password(session, settings, username, body.password)
    view = users.edit_user(
        session, username, role=body.role, enabled=body.enabled, full_name=body.full_name, unlock=body.unlock
    )
    return user_out(view)


@router.delete("/users/{username}", status_code=204, response_class=Response)
def remove_user(
    username: str,
    session: SessionDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="user.remove")],
) -> None:
    """Remove a user with their tokens and sessions (runs and jobs keep the name they recorded)."""
    users.remove_user(session, username)
