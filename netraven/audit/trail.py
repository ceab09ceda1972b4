"""Writing and reading audit rows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from netraven.audit.context import current_actor
from netraven.db.models import AuditEntry
from netraven.db.paging import DEFAULT_LIMIT, Paged, paged
from netraven.exceptions import NetRavenError
from netraven.principal import Principal

OUTCOMES = ("succeeded", "failed", "denied")
MASK = "***"
# A field whose name says it holds a secret is recorded as changed, never with its value.
SECRET_FIELD = re.compile(r"password|secret|token|key|hash|community", re.IGNORECASE)
MAX_DETAIL = 2_000
SORTS = {
    "at": AuditEntry.at,
    "actor": AuditEntry.actor_name,
    "action": AuditEntry.action,
    "object_type": AuditEntry.object_type,
}


def mask(field: str, value: Any) -> Any:
    """``value``, or ``***`` when ``field`` names a secret (and the value is set)."""
    return MASK if value not in (None, "") and SECRET_FIELD.search(field) else value


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` of the fields that differ between two snapshots, secrets masked."""
    fields = sorted(set(before) | set(after))
    return {
        f: [mask(f, before.get(f)), mask(f, after.get(f))] for f in fields if before.get(f) != after.get(f)
    }


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    changes: Mapping[str, Any] | None = None,
    outcome: str = "succeeded",
    detail: str | None = None,
    actor: Principal | None = None,
) -> None:
    """Add an audit row in the caller's transaction (it commits or rolls back with the change).

    ``changes`` is ``{field: [old, new]}`` (or ``{field: value}`` for a new object); fields named
    like secrets are masked whatever the caller passes. ``actor`` defaults to :func:`current_actor`.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"audit outcome {outcome!r} is not one of {OUTCOMES}")
    who = actor or current_actor()
    session.add(
        AuditEntry(
            actor_kind=who.kind,
            actor_name=who.username[:255],
            actor_user_id=who.user_id,
            actor_token_id=who.token_id,
            address=who.address[:64] if who.address else None,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id)[:255],
            changes=_masked(changes) if changes else None,
            outcome=outcome,
            detail=detail[:MAX_DETAIL] if detail else None,
        )
    )


def record_failure(
    sessions: Engine | sessionmaker[Session],
    action: str,
    object_type: str,
    object_id: str | int | None,
    error: BaseException,
) -> None:
    """Record a failed operation in a transaction of its own (the operation's was rolled back).

    The detail is the error's first line: NetRaven's errors never hold a secret. Another
    exception's text could, so only its type is kept.
    """
    text = str(error).strip()
    detail = text.splitlines()[0] if isinstance(error, NetRavenError) and text else type(error).__name__
    factory = sessionmaker(sessions) if isinstance(sessions, Engine) else sessions
    with factory.begin() as session:
        record(session, action, object_type, object_id, outcome="failed", detail=detail)


def list_entries(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    sort: str | None = None,
) -> Paged[AuditEntry]:
    """One page of entries, newest first unless ``sort`` says otherwise, and how many match.

    ``action`` is a name (``device.add``) or a prefix ending in ``.`` or ``.*`` (``device.*``);
    ``outcome`` one of :data:`OUTCOMES`; ``since`` inclusive, ``until`` exclusive; ``sort`` one of
    :data:`SORTS`, ``-`` before it for descending.
    """
    if outcome is not None and outcome not in OUTCOMES:
        raise NetRavenError(f"unknown outcome {outcome!r} (known: {', '.join(OUTCOMES)})", field="outcome")
    query = select(AuditEntry)
    if actor is not None:
        query = query.where(AuditEntry.actor_name == actor)
    if action is not None:
        prefix = action.removesuffix("*")
        if prefix.endswith("."):
            query = query.where(AuditEntry.action.startswith(prefix, autoescape=True))
        else:
            query = query.where(AuditEntry.action == action)
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    if outcome is not None:
        query = query.where(AuditEntry.outcome == outcome)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    return paged(session, query, limit=limit, offset=offset, sort=sort, columns=SORTS, default="-at",
                 tiebreak=[AuditEntry.id.desc()])  # fmt: skip


def entry_to_dict(entry: AuditEntry) -> dict[str, Any]:
    """The JSON view of one entry (the CLI's ``--json`` and the API's rows)."""
    return {
        "id": entry.id,
        "at": entry.at,
        "actor_kind": entry.actor_kind,
        "actor": entry.actor_name,
        "actor_user_id": entry.actor_user_id,
        "actor_token_id": entry.actor_token_id,
        "address": entry.address,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "outcome": entry.outcome,
        "detail": entry.detail,
    }


def _masked(changes: Mapping[str, Any]) -> dict[str, Any]:
    masked: dict[str, Any] = {}
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            masked[field] = [_plain(mask(field, value[0])), _plain(mask(field, value[1]))]
        else:
            masked[field] = _plain(mask(field, value))
    return masked


def _plain(value: Any) -> Any:
    """``value`` as JSON can store it: times as ISO text, tuples and sets as lists."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_plain(item) for item in items]
    if isinstance(value, Mapping):  # nested settings (a device's data): secret-named keys masked too
        return {str(k): _plain(mask(str(k), v)) for k, v in value.items()}
    return str(value)
