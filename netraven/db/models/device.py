"""Devices and the tags that group them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Mapped, relationship

from netraven.db import core
from netraven.db.base import Base

if TYPE_CHECKING:
    from netraven.db.models.config import DeviceConfiguration
    from netraven.db.models.credential import Credential

device_tags = core.device_tags


class Tag(Base):
    """A named group of devices (site, role, vendor...); tags become Nornir groups."""

    __table__ = core.tags  # defined in Core: read without the ORM by listing commands

    id: Mapped[int]
    name: Mapped[str]
    type: Mapped[str]
    description: Mapped[str | None]
    created_at: Mapped[datetime]
    backup_command: Mapped[str | None]
    transport: Mapped[str | None]

    devices: Mapped[list[Device]] = relationship(secondary=device_tags, back_populates="tags")

    def __repr__(self) -> str:
        return f"Tag(id={self.id!r}, name={self.name!r})"


class Device(Base):
    """A network device NetRaven backs up and automates.

    Deleting a device deletes its tag links, credential bindings, job targets and configuration
    versions (the git history keeps its files); job results and logs stay, with ``device_id`` cleared
    and the hostname kept on the result.
    """

    __table__ = core.devices  # defined in Core: read without the ORM by listing commands

    id: Mapped[int]
    hostname: Mapped[str]
    host: Mapped[str]
    port: Mapped[int]
    platform: Mapped[str]
    enabled: Mapped[bool]
    description: Mapped[str | None]
    data: Mapped[dict[str, Any]]
    last_seen: Mapped[datetime | None]
    last_backup_at: Mapped[datetime | None]
    last_backup_status: Mapped[str | None]
    last_credential_id: Mapped[int | None]
    created_at: Mapped[datetime]
    reachability: Mapped[str | None]
    reachability_at: Mapped[datetime | None]
    latency_ms: Mapped[float | None]
    unreachable_since: Mapped[datetime | None]
    circuit: Mapped[str]
    circuit_failures: Mapped[int]
    circuit_retry_at: Mapped[datetime | None]
    backup_command: Mapped[str | None]
    os_version: Mapped[str | None]
    model: Mapped[str | None]
    serial: Mapped[str | None]
    uptime: Mapped[str | None]
    facts_at: Mapped[datetime | None]
    transport: Mapped[str | None]

    tags: Mapped[list[Tag]] = relationship(secondary=device_tags, back_populates="devices")
    last_credential: Mapped[Credential | None] = relationship(foreign_keys="Device.last_credential_id")
    configurations: Mapped[list[DeviceConfiguration]] = relationship(
        back_populates="device", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Device(id={self.id!r}, hostname={self.hostname!r}, host={self.host!r})"

    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (no secrets live on a device)."""
        return {
            "id": self.id,
            "hostname": self.hostname,
            "host": self.host,
            "port": self.port,
            "platform": self.platform,
            "transport": self.transport,
            "enabled": self.enabled,
            "description": self.description,
            "tags": self.tag_names(),
            "data": self.data,
            "last_seen": self.last_seen,
            "last_backup_at": self.last_backup_at,
            "last_backup_status": self.last_backup_status,
            "reachability": self.reachability,
            "reachability_at": self.reachability_at,
            "latency_ms": self.latency_ms,
            "unreachable_since": self.unreachable_since,
            "circuit": self.circuit,
            "circuit_failures": self.circuit_failures,
            "circuit_retry_at": self.circuit_retry_at,
            "backup_command": self.backup_command,
            "os_version": self.os_version,
            "model": self.model,
            "serial": self.serial,
            "uptime": self.uptime,
            "facts_at": self.facts_at,
        }
