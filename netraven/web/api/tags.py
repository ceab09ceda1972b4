"""Tags (``/tags``): named groups of devices. Reading needs a viewer, changing an operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from netraven import inventory
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["tags"])


class Tag(BaseModel):
    """A tag and how many devices carry it."""

    id: int
    name: str = Field(examples=["site-a"])
    type: str = Field(examples=["site"])
    description: str | None = None
    transport: str | None = Field(default=None, description="ssh or telnet for its devices; null: no say.")
    devices: int = Field(examples=[42])
    created_at: datetime | None = None


class NewTag(Strict):
    """A tag to add."""

    name: str = Field(examples=["site-a"])
    type: str = Field(default="custom", examples=["site"])
    description: str | None = None
    transport: str | None = Field(default=None, description="ssh or telnet (unsafe) for its devices.")


def tag_out(tag: Any, devices: int) -> Tag:
    return Tag(
        id=tag.id,
        name=tag.name,
        type=tag.type,
        description=tag.description,
        transport=tag.transport,
        devices=devices,
        created_at=tag.created_at,
    )


@router.get("/tags", response_model=Page[Tag])
def list_tags(
    session: SessionDep,
    page: PagingDep,
    _viewer: Annotated[Principal, require(Role.VIEWER)],
    name: Annotated[str | None, Query(description="Name contains this (any case).")] = None,
    type: Annotated[str | None, Query(examples=["site"])] = None,
    sort: Annotated[
        str | None, Query(description="name, type, created_at or devices; '-': descending.")
    ] = None,
) -> Page[Tag]:
    """Tags with their device counts, by name unless ``sort`` says otherwise."""
    found = inventory.query_tags(
        session, name=name, type=type, sort=sort, limit=page.limit, offset=page.offset
    )
    return page.page([tag_out(tag, devices) for tag, devices in found.items], found.total)


@router.get("/tags/{name}", response_model=Tag)
def get_tag(name: str, session: SessionDep, _viewer: Annotated[Principal, require(Role.VIEWER)]) -> Tag:
    """One tag."""
    tag = inventory.get_tag(session, name)
    return tag_out(tag, len(tag.devices))


@router.post("/tags", response_model=Tag, status_code=201)
def add_tag(
    body: NewTag,
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="tag.add")],
) -> Tag:
    """Add a tag."""
    tag = inventory.add_tag(session, body.name, body.type, body.description, transport=body.transport)
    session.flush()
    return tag_out(tag, 0)


@router.delete("/tags/{name}", status_code=204, response_class=Response)
def remove_tag(
    name: str,
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="tag.remove")],
) -> None:
    """Remove a tag: devices, credentials and jobs lose it (they are not removed)."""
    inventory.remove_tag(session, name)
