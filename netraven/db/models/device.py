"""Devices and the tags that group them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netraven.db.base import Base, created_at, intpk, json_dict, link_table, name_str

if TYPE_CHECKING:
    from netraven.db.models.config import DeviceConfiguration
    from netraven.db.models.credential import Credential

device_tags = link_table("device", "tag")


class Tag(Base):
    """A named group of devices (site, role, vendor...); tags become Nornir groups."""

    __tablename__ = "tags"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    type: Mapped[str] = mapped_column(String(50), default="custom")
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]

    devices: Mapped[list[Device]] = relationship(secondary=device_tags, back_populates="tags")

    def __repr__(self) -> str:
        return f"Tag(id={self.id!r}, name={self.name!r})"


class Device(Base):
    """A network device NetRaven backs up and automates.

    Deleting a device deletes its tag links, credential bindings, job targets and configuration
    versions (the git history keeps its files); job results and logs stay, with ``device_id`` cleared
    and the hostname kept on the result.
    """

    __tablename__ = "devices"

    id: Mapped[intpk]
    hostname: Mapped[name_str] = mapped_column(unique=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(default=22)
    platform: Mapped[str] = mapped_column(String(64), index=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str | None] = mapped_column(Text)
    data: Mapped[json_dict]
    last_seen: Mapped[datetime | None]
    last_backup_at: Mapped[datetime | None]
    last_backup_status: Mapped[str | None] = mapped_column(String(20))
    last_credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    tags: Mapped[list[Tag]] = relationship(secondary=device_tags, back_populates="devices")
    last_credential: Mapped[Credential | None] = relationship(foreign_keys=[last_credential_id])
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
            "enabled": self.enabled,
            "description": self.description,
            "tags": self.tag_names(),
            "data": self.data,
            "last_seen": self.last_seen,
            "last_backup_at": self.last_backup_at,
            "last_backup_status": self.last_backup_status,
        }
