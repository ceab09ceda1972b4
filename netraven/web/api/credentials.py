"""Credentials (``/credentials``, admins only): add, list, show, edit, remove.

Passwords and enable secrets are write-only: requests may carry them, no response, log line,
error or audit row ever does (``has_enable_secret`` says whether one is stored).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, SecretStr

from netraven import credentials
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, SettingsDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["credentials"])


class Credential(BaseModel):
    """A stored credential: never its password or enable secret."""

    id: int
    name: str = Field(examples=["lab"])
    username: str = Field(examples=["admin"])
    priority: int = Field(examples=[100])
    description: str | None = None
    tags: list[str]
    devices: list[str]
    has_enable_secret: bool
    last_used: datetime | None
    success_count: int
    failure_count: int
    success_rate: float
    created_at: datetime | None


class NewCredential(Strict):
    """A credential to store, encrypted; used on devices with one of ``tags`` or in ``devices``."""

    name: str = Field(examples=["lab"])
    username: str = Field(examples=["admin"])
    password: SecretStr = Field(examples=["s3cret"])
    enable_secret: SecretStr | None = None
    priority: int = Field(default=100, description="Lower numbers are tried first.")
    tags: list[str] = Field(default_factory=list)
    devices: list[str] = Field(default_factory=list, description="Hostnames.")
    description: str | None = None


class CredentialChanges(Strict):
    """Fields to change; those left out stay. An empty enable secret or description clears it."""

    username: str | None = None
    password: SecretStr | None = None
    enable_secret: SecretStr | None = None
    priority: int | None = None
    description: str | None = None
    add_tags: list[str] = Field(default_factory=list)
    remove_tags: list[str] = Field(default_factory=list)
    add_devices: list[str] = Field(default_factory=list)
    remove_devices: list[str] = Field(default_factory=list)


def credential_out(credential: Any) -> Credential:
    return Credential.model_validate(credentials.credential_view(credential))


def _plain(secret: SecretStr | None) -> str | None:
    return None if secret is None else secret.get_secret_value()


@router.get("/credentials", response_model=Page[Credential])
def list_credentials(
    session: SessionDep,
    page: PagingDep,
    _admin: Annotated[Principal, require(Role.ADMIN)],
    name: Annotated[str | None, Query(description="Name contains this (any case).")] = None,
    tag: Annotated[str | None, Query(description="Bound to this tag.")] = None,
    device: Annotated[str | None, Query(description="Bound directly to this device (hostname).")] = None,
    sort: Annotated[
        str | None, Query(description="name, username, priority, last_used or created_at; '-': descending.")
    ] = None,
) -> Page[Credential]:
    """Credentials in the order they are tried (priority, then name) unless ``sort`` says otherwise."""
    found = credentials.query_credentials(
        session, name=name, tag=tag, device=device, sort=sort, limit=page.limit, offset=page.offset
    )
    return page.page([credential_out(c) for c in found.items], found.total)


@router.get("/credentials/{credential_id}", response_model=Credential)
def get_credential(
    credential_id: int, session: SessionDep, _admin: Annotated[Principal, require(Role.ADMIN)]
) -> Credential:
    """One credential (without its secrets)."""
    return credential_out(credentials.get_credential(session, credential_id))


@router.post("/credentials", response_model=Credential, status_code=201)
def add_credential(
    body: NewCredential,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="credential.add")],
) -> Credential:
    """Store a credential, encrypted with the credentials key."""
    vault = credentials.vault_for_new_credentials(session, settings)
    credential = credentials.add_credential(
        session,
        vault,
        body.name,
        body.username,
        body.password.get_secret_value(),
        _plain(body.enable_secret),
        body.priority,
        body.tags,
        body.devices,
        body.description,
    )
    return credential_out(credential)


@router.patch("/credentials/{credential_id}", response_model=Credential)
def edit_credential(
    credential_id: int,
    body: CredentialChanges,
    session: SessionDep,
    settings: SettingsDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="credential.edit")],
) -> Credential:
    """Change a credential; new secrets are encrypted with the newest key."""
    changing_secret = body.password is not None or body.enable_secret is not None
    vault = credentials.vault_for_new_credentials(session, settings) if changing_secret else None
    credential = credentials.edit_credential(
        session,
        vault,  # type: ignore[arg-type]
        credential_id,
        username=body.username,
        password=_plain(body.password),
        enable_secret=_plain(body.enable_secret),
        priority=body.priority,
        description=body.description,
        add_tags=body.add_tags,
        remove_tags=body.remove_tags,
        add_devices=body.add_devices,
        remove_devices=body.remove_devices,
    )
    return credential_out(credential)


@router.delete("/credentials/{credential_id}", status_code=204, response_class=Response)
def remove_credential(
    credential_id: int,
    session: SessionDep,
    _admin: Annotated[Principal, require(Role.ADMIN, action="credential.remove")],
) -> None:
    """Remove a credential and its bindings."""
    credentials.remove_credential(session, credential_id)
