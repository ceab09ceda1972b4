"""Credentials: usernames with encrypted passwords and enable secrets, bound by tag or device."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Float, LargeBinary, String, Text, case, cast
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from netraven.db.base import Base, created_at, intpk, link_table, name_str

if TYPE_CHECKING:
    from netraven.db.models.device import Device, Tag

credential_tags = link_table("credential", "tag")

credential_devices = link_table("credential", "device")


class Credential(Base):
    """A login tried on the devices it is bound to, directly or through a shared tag.

    ``password_encrypted`` and ``enable_secret_encrypted`` hold Fernet tokens; only the vault
    decrypts them. Lower ``priority`` numbers are tried first. Deleting a credential removes its
    bindings and clears it from results and devices' last-good credential.
    """

    __tablename__ = "credentials"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    username: Mapped[str] = mapped_column(String(255))
    password_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    enable_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    priority: Mapped[int] = mapped_column(default=100)
    description: Mapped[str | None] = mapped_column(Text)
    last_used: Mapped[datetime | None]
    success_count: Mapped[int] = mapped_column(default=0)
    failure_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]

    tags: Mapped[list[Tag]] = relationship(secondary=credential_tags)
    devices: Mapped[list[Device]] = relationship(secondary=credential_devices)

    @hybrid_property
    def success_rate(self) -> float:
        """Share of successful logins, 0.0 before the first attempt."""
        attempts = self.success_count + self.failure_count
        return self.success_count / attempts if attempts else 0.0

    @success_rate.inplace.expression
    @classmethod
    def _success_rate_expression(cls) -> ColumnElement[float]:
        attempts = cls.success_count + cls.failure_count
        return case((attempts == 0, 0.0), else_=cast(cls.success_count, Float) / attempts)

    def __repr__(self) -> str:
        return f"Credential(id={self.id!r}, name={self.name!r}, username={self.username!r})"


__all__ = ["Credential", "credential_devices", "credential_tags"]
