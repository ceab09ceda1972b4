"""Tags: named groups of devices (site, role, vendor...), which become Nornir groups."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.models import Tag, device_tags
from netraven.exceptions import InventoryConflict, InventoryNotFound
from netraven.inventory.batches import batched
from netraven.inventory.validation import (
    check_backup_command,
    check_description,
    check_tag_name,
    check_tag_type,
    check_transport,
    checked,
    show,
)


def add_tag(
    session: Session,
    name: str,
    type: str = "custom",
    description: str | None = None,
    backup_command: str | None = None,
    transport: str | None = None,
) -> Tag:
    """Create a tag; InventoryError if the name is invalid or taken. ``backup_command``: the command
    printing its devices' configurations, over their platform's (a device's own wins);
    ``transport`` (ssh or telnet): what its devices without one of their own are reached with."""
    name, kind, text = check_tag_name(name), check_tag_type(type), check_description(description)
    command = check_backup_command(backup_command)
    transport = checked("transport", check_transport, transport)
    if session.scalar(select(Tag.id).where(Tag.name == name)) is not None:
        raise InventoryConflict(f"a tag named {show(name)} already exists")
    tag = Tag(name=name, type=kind, description=text, backup_command=command, transport=transport)
    try:
        with session.begin_nested():
            session.add(tag)
    except IntegrityError as exc:
        raise InventoryConflict(f"a tag named {show(name)} already exists") from exc
    audit.record(
        session,
        "tag.add",
        "tag",
        name,
        {"type": kind, "description": text, "backup_command": command, "transport": transport},
    )
    return tag


def edit_tag(
    session: Session,
    name: str,
    description: str | None = None,
    backup_command: str | None = None,
    transport: str | None = None,
) -> Tag:
    """Change the given fields of tag ``name`` (None: unchanged; empty text clears it)."""
    changes = {
        field: checked(field, check, value)
        for field, check, value in (
            ("description", check_description, description),
            ("backup_command", check_backup_command, backup_command),
            ("transport", check_transport, transport),
        )
        if value is not None
    }
    tag = get_tag(session, name)
    before = {field: getattr(tag, field) for field in changes}
    for field, value in changes.items():
        setattr(tag, field, value)
    session.flush()
    audit.record(session, "tag.edit", "tag", name, audit.changed(before, changes))
    return tag


def list_tags(session: Session) -> list[tuple[Tag, int]]:
    """Every tag with the number of devices carrying it, by name, in one query."""
    count = func.count(device_tags.c.device_id)
    query = select(Tag, count).outerjoin(device_tags, device_tags.c.tag_id == Tag.id).group_by(Tag.id)
    return [(tag, devices) for tag, devices in session.execute(query.order_by(Tag.name))]


def tag_names(session: Session, limit: int = 1000) -> list[str]:
    """The first ``limit`` tag names, by name (to offer as choices; no device is counted)."""
    return list(session.scalars(select(Tag.name).order_by(Tag.name).limit(limit)))


def get_tag(session: Session, name: str) -> Tag:
    """The tag of this name; InventoryNotFound when there is none."""
    tag = session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        raise InventoryNotFound(f"no tag named {show(name)}")
    return tag


def remove_tag(session: Session, name: str) -> None:
    """Delete a tag; devices, credentials and jobs lose it (their links are deleted, not them)."""
    tag = get_tag(session, name)
    session.delete(tag)
    session.flush()
    audit.record(session, "tag.remove", "tag", name)


def resolve_tags(session: Session, names: Iterable[str]) -> dict[str, Tag]:
    """The tags of these (already validated) names, adding those missing to the session."""
    wanted = sorted(set(names))
    found: dict[str, Tag] = {}
    for batch in batched(wanted):
        found.update((tag.name, tag) for tag in session.scalars(select(Tag).where(Tag.name.in_(batch))))
    for name in wanted:
        if name not in found:
            found[name] = Tag(name=name)
            session.add(found[name])
    return found
