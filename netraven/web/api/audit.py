"""The audit trail (``/audit``, admins only): who changed what, when, from where, how it ended."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from netraven import audit
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["audit"])


class AuditEntry(Strict):
    """One audited operation; ``changes`` maps a field to ``[old, new]``, secrets shown as ``***``."""

    id: int
    at: datetime
    actor_kind: str = Field(examples=["user"])
    actor: str = Field(examples=["alice"])
    actor_user_id: int | None
    actor_token_id: int | None
    address: str | None = Field(examples=["192.0.2.7"])
    action: str = Field(examples=["device.add"])
    object_type: str = Field(examples=["device"])
    object_id: str | None = Field(examples=["core-1"])
    changes: dict[str, Any] | None
    outcome: Literal["succeeded", "failed"] | str
    detail: str | None


@router.get("/audit", response_model=Page[AuditEntry])
def list_audit(
    session: SessionDep,
    page: PagingDep,
    _admin: Annotated[Principal, require(Role.ADMIN)],
    actor: Annotated[str | None, Query(description="User, token owner or OS user name.")] = None,
    action: Annotated[str | None, Query(description="An action (device.add) or a prefix (device.*).")] = None,
    object_type: Annotated[str | None, Query(examples=["device"])] = None,
    object_id: str | None = None,
    outcome: Literal["succeeded", "failed", "denied"] | None = None,
    since: Annotated[datetime | None, Query(description="Entries at or after this time.")] = None,
    until: Annotated[datetime | None, Query(description="Entries before this time.")] = None,
) -> Page[AuditEntry]:
    """Audit entries, newest first, filtered."""
    found = audit.list_entries(
        session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        since=since,
        until=until,
        limit=page.limit,
        offset=page.offset,
    )
    items = [AuditEntry.model_validate(audit.entry_to_dict(row)) for row in found.items]
    return page.page(items, found.total)
