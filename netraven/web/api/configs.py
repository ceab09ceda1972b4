"""``/api/v1/configs``: each device's config history, one version (as JSON or raw text), the diff of
any two versions, and a search over the latest configs.

Viewers read configs with the secrets they carry masked (enable secrets, ``password 7``, SNMP
communities, keys: the redactor's patterns), searches included, so a pattern cannot probe a
secret; admins read them as stored. A device is named by hostname, or by id given as digits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from netraven.configs import queries
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, require
from netraven.web.pagination import Page, Paging, paging

router = APIRouter(prefix="/configs", tags=["configs"])
Device = Annotated[str, Path(max_length=255, description="A hostname, or a device id (digits).")]
Version = Annotated[int, Path(ge=1, le=2**31 - 1, description="A version number (1 is the first).")]
Reader = Annotated[Principal, require(Role.VIEWER)]
MAX_INT = 2**31 - 1


class VersionInfo(BaseModel):
    """One stored version, without its text."""

    version: int = Field(examples=[3])
    retrieved_at: datetime
    last_seen_at: datetime
    size_bytes: int
    changed_lines: int | None = Field(examples=[4])
    git_commit: str | None
    run_id: int | None
    redacted: bool
    git_pending: bool
    command: str | None
    unchecked: bool
    keep: bool = Field(description="Marked to keep: retention never deletes it.")
    previous: int | None = Field(description="The stored version before it (retention may delete some).")


class ConfigVersion(BaseModel):
    """One version with its text (secrets masked unless you are an admin or it was stored redacted)."""

    hostname: str = Field(examples=["core-1"])
    version: int = Field(examples=[3])
    text: str
    retrieved_at: datetime
    redacted: bool = Field(description="Stored redacted (backup.redact_stored).")
    masked: bool = Field(description="Secrets were masked for you in this response.")
    git_commit: str | None


class Diff(BaseModel):
    """The unified diff between two versions, volatile lines (timestamps, counters) left out."""

    hostname: str
    from_version: int | None
    to_version: int | None
    diff: str = Field(
        examples=[
            "--- core-1 version 2\n+++ core-1 version 3\n@@ -4 +4 @@\n"
            "-logging host 192.0.2.1\n+logging host 192.0.2.2\n"
        ]
    )


class Match(BaseModel):
    """A line of a device's latest config matching a search, with the lines around it."""

    hostname: str
    version: int
    line_number: int
    line: str
    before: list[str]
    after: list[str]


def device_ref(device: str) -> int | str:
    """Digits name a device id; anything else a hostname."""
    return int(device) if device.isdigit() and int(device) <= MAX_INT else device


def _reveal(principal: Principal) -> bool:
    return principal.allows(Role.ADMIN)


@router.get("/search", response_model=Page[Match])
def search(
    session: SessionDep,
    principal: Reader,
    page: Annotated[Paging, Depends(paging)],
    pattern: Annotated[str, Query(min_length=1, max_length=1000, description="An RE2 regular expression.")],
    context: Annotated[int, Query(ge=0, le=queries.MAX_CONTEXT, description="Lines either side.")] = 0,
    device: Annotated[list[str] | None, Query(description="Only these devices (repeatable).")] = None,
) -> Page[Match]:
    """Lines matching ``pattern`` in every device's latest config, by hostname then line."""
    found = queries.page_search(
        session,
        pattern,
        context,
        [device_ref(d) for d in device or ()],
        page.limit,
        page.offset,
        _reveal(principal),
    )
    items = [
        Match(
            hostname=m.hostname,
            version=m.version,
            line_number=m.line_number,
            line=m.line,
            before=list(m.before),
            after=list(m.after),
        )
        for m in found.items
    ]
    return page.page(items, found.total)


@router.get("/{device}/versions", response_model=Page[VersionInfo], dependencies=[require(Role.VIEWER)])
def history(
    device: Device, session: SessionDep, page: Annotated[Paging, Depends(paging)]
) -> Page[VersionInfo]:
    """The device's versions, newest first, without their texts."""
    found = queries.page_history(session, device_ref(device), page.limit, page.offset)
    return page.page([VersionInfo.model_validate(v, from_attributes=True) for v in found.items], found.total)


@router.get("/{device}/diff", response_model=Diff)
def diff(
    device: Device,
    session: SessionDep,
    principal: Reader,
    from_version: Annotated[
        int | None, Query(alias="from", ge=1, le=MAX_INT, description="Default: the one before 'to'.")
    ] = None,
    to_version: Annotated[
        int | None, Query(alias="to", ge=1, le=MAX_INT, description="Default: the latest.")
    ] = None,
    context: Annotated[
        int, Query(ge=0, le=queries.MAX_CONTEXT, description="Unchanged lines around each change.")
    ] = 3,
) -> Diff:
    """The unified diff from one version to another (default: the previous version to the latest)."""
    found = queries.resolve_device(session, device_ref(device))
    text = queries.diff(
        session, found.id, from_version, to_version, context=context, reveal=_reveal(principal)
    )
    return Diff(hostname=found.hostname, from_version=from_version, to_version=to_version, diff=text)


@router.get("/{device}/versions/{version}", response_model=ConfigVersion)
def show(device: Device, version: Version, session: SessionDep, principal: Reader) -> ConfigVersion:
    """One version with its text."""
    return _version(session, device, version, principal)


@router.get("/{device}/latest", response_model=ConfigVersion)
def latest(device: Device, session: SessionDep, principal: Reader) -> ConfigVersion:
    """The latest version with its text."""
    return _version(session, device, None, principal)


@router.get(
    "/{device}/versions/{version}/raw",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}, "description": "The config as text"}},
)
def raw(device: Device, version: Version, session: SessionDep, principal: Reader) -> PlainTextResponse:
    """One version as a text file to download (``<hostname>-v<version>.cfg``)."""
    found = _version(session, device, version, principal)
    name = f"{found.hostname}-v{found.version}.cfg".replace('"', "")
    return PlainTextResponse(found.text, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _version(session: SessionDep, device: str, version: int | None, principal: Principal) -> ConfigVersion:
    stored = queries.get(session, device_ref(device), version, reveal=_reveal(principal))
    return ConfigVersion(
        hostname=stored.hostname,
        version=stored.version,
        text=stored.text,
        retrieved_at=stored.retrieved_at,
        redacted=stored.redacted,
        masked=not (stored.redacted or _reveal(principal)),
        git_commit=stored.git_commit,
    )
