"""Devices (``/devices``): list (filtered, sorted, paged), show, add, edit, remove, and bulk import
of the CSV/YAML/JSON files ``netraven device import`` reads (all or nothing, every bad row listed).
Reading needs a viewer, changing an operator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from pydantic import BaseModel, Field

from netraven import inventory
from netraven.users import Principal, Role
from netraven.web.deps import SessionDep, require
from netraven.web.pagination import Page, PagingDep
from netraven.web.schemas import Strict

router = APIRouter(tags=["devices"])


class Device(BaseModel):
    """A device (no secret lives on a device)."""

    id: int
    hostname: str = Field(examples=["core-1"])
    host: str = Field(examples=["10.0.0.1"])
    port: int = Field(examples=[22])
    platform: str = Field(examples=["cisco_ios"])
    transport: Literal["ssh", "telnet"] | None = Field(
        default=None, description="ssh or telnet; null: its tags decide, else ssh."
    )
    enabled: bool
    description: str | None = None
    tags: list[str] = Field(examples=[["core", "site-a"]])
    data: dict[str, Any] = Field(description="Free-form data, e.g. netmiko_options.")
    last_seen: datetime | None = None
    last_backup_at: datetime | None = None
    last_backup_status: str | None = Field(default=None, examples=["success"])
    reachability: Literal["reachable", "unreachable"] | None = Field(
        default=None, description="The last reachability check's verdict; null: never checked."
    )
    reachability_at: datetime | None = None
    latency_ms: float | None = Field(default=None, description="The last check's TCP connect time.")
    unreachable_since: datetime | None = None
    circuit: Literal["closed", "open", "half_open"] = Field(
        default="closed", description="The circuit breaker: open skips the device in backup and command runs."
    )
    circuit_failures: int = Field(default=0, description="Connection or timeout failures in a row.")
    circuit_retry_at: datetime | None = Field(default=None, description="When an open circuit is retried.")
    backup_command: str | None = Field(
        default=None, description="Its own backup command, over its tags' and its platform's."
    )
    # Facts, as the last backup read them (None until one did).
    os_version: str | None = Field(default=None, examples=["15.9(3)M6"])
    model: str | None = Field(default=None, examples=["C9300-48P"])
    serial: str | None = Field(default=None, examples=["FOC2231X0AB"])
    uptime: str | None = Field(default=None, examples=["5 weeks, 2 days, 3 hours, 14 minutes"])
    facts_at: datetime | None = Field(default=None, description="When the facts were read.")


class NewDevice(Strict):
    """A device to add; tags named but missing are created."""

    hostname: str = Field(examples=["core-1"])
    host: str = Field(examples=["10.0.0.1"], description="IPv4/IPv6 address or DNS name.")
    platform: str = Field(examples=["cisco_ios"], description="A netmiko device type.")
    port: int | None = Field(default=None, description="Default: 22, or 23 over telnet.")
    transport: str | None = Field(default=None, description="ssh or telnet (unsafe); null: the tags decide.")
    tags: list[str] = Field(default_factory=list, examples=[["core", "site-a"]])
    description: str | None = None
    enabled: bool = True
    data: dict[str, Any] | None = None
    backup_command: str | None = Field(default=None, description="Its own command printing its config.")


class DeviceChanges(Strict):
    """Fields to change; those left out stay as they are (an empty description clears it)."""

    host: str | None = None
    port: int | None = None
    platform: str | None = None
    transport: str | None = Field(default=None, description="ssh or telnet; '' clears it.")
    description: str | None = None
    enabled: bool | None = None
    add_tags: list[str] = Field(default_factory=list)
    remove_tags: list[str] = Field(default_factory=list)
    data: dict[str, Any] | None = None
    backup_command: str | None = Field(default=None, description="An empty one clears it.")


class ImportReport(Strict):
    """What an import did."""

    total: int
    created: int
    updated: int
    tags_created: int


def device_out(device: Any) -> Device:
    return Device.model_validate(device.to_dict())


@router.get("/devices", response_model=Page[Device])
def list_devices(
    session: SessionDep,
    page: PagingDep,
    _viewer: Annotated[Principal, require(Role.VIEWER)],
    tag: Annotated[list[str], Query(description="Devices with this tag (repeat: with all of them).")] = [],  # noqa: B006
    platform: Annotated[str | None, Query(examples=["cisco_ios"])] = None,
    enabled: bool | None = None,
    name: Annotated[str | None, Query(description="Hostname contains this (any case).")] = None,
    backup_status: Annotated[
        Literal["success", "failed", "never"] | None, Query(description="How the last backup ended.")
    ] = None,
    unreachable: Annotated[
        bool | None, Query(description="Found unreachable by the last reachability check (or not).")
    ] = None,
    os_version: Annotated[str | None, Query(description="OS version starts with this (any case).")] = None,
    model: Annotated[str | None, Query(description="Model starts with this (any case).")] = None,
    sort: Annotated[
        str | None,
        Query(
            description="hostname, host, platform, enabled, created_at, last_backup_at, "
            "last_backup_status, last_seen, reachability_at, latency_ms, circuit, os_version, model or "
            "facts_at; '-' before one: descending."
        ),
    ] = None,
) -> Page[Device]:
    """Devices, filtered and sorted (by hostname unless ``sort`` says otherwise)."""
    found = inventory.query_devices(
        session,
        tags=tag,
        platform=platform,
        enabled=enabled,
        name=name,
        backup_status=backup_status,
        unreachable=unreachable,
        os_version=os_version,
        model=model,
        sort=sort,
        limit=page.limit,
        offset=page.offset,
    )
    return page.page([device_out(d) for d in found.items], found.total)


@router.get("/devices/{device_id}", response_model=Device)
def get_device(
    device_id: int, session: SessionDep, _viewer: Annotated[Principal, require(Role.VIEWER)]
) -> Device:
    """One device."""
    return device_out(inventory.get_device(session, device_id))


@router.post("/devices", response_model=Device, status_code=201)
def add_device(
    body: NewDevice,
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="device.add")],
) -> Device:
    """Add a device."""
    device = inventory.add_device(
        session,
        body.hostname,
        body.host,
        body.platform,
        port=body.port,
        transport=body.transport,
        tags=body.tags,
        description=body.description,
        enabled=body.enabled,
        data=body.data,
        backup_command=body.backup_command,
    )
    session.flush()
    return device_out(inventory.get_device(session, device.id))


@router.patch("/devices/{device_id}", response_model=Device)
def edit_device(
    device_id: int,
    body: DeviceChanges,
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="device.edit")],
) -> Device:
    """Change a device's fields, add or remove tags."""
    device = inventory.edit_device(
        session,
        device_id,
        host=body.host,
        port=body.port,
        platform=body.platform,
        transport=body.transport,
        description=body.description,
        enabled=body.enabled,
        add_tags=body.add_tags,
        remove_tags=body.remove_tags,
        data=body.data,
        backup_command=body.backup_command,
    )
    return device_out(device)


@router.delete("/devices/{device_id}", status_code=204, response_class=Response)
def remove_device(
    device_id: int,
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="device.remove")],
) -> None:
    """Remove a device with its tag links, credential bindings and stored configurations."""
    inventory.remove_device(session, device_id)


@router.post("/devices/import", response_model=ImportReport)
def import_devices(
    session: SessionDep,
    _operator: Annotated[Principal, require(Role.OPERATOR, action="device.import")],
    file: Annotated[UploadFile, File(description="A .csv, .yaml/.yml or .json device file.")],
    default_tags: Annotated[list[str], Form(description="Tags for every imported device.")] = [],  # noqa: B006
    update: Annotated[bool, Form(description="Update devices that exist instead of refusing them.")] = False,
) -> ImportReport:
    """Import the devices of a file, all or none: a bad row refuses the file (400) and ``details``
    lists every bad row ("row 3: ...")."""
    report = inventory.import_upload(session, file.filename or "", file.file.read(), default_tags, update)
    return ImportReport.model_validate(report.to_dict())
