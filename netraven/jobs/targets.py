"""What a run reaches: named devices, devices carrying any of some tags, or the whole fleet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, func, or_, select

from netraven.db import core
from netraven.exceptions import InventoryError, JobError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Targets:
    """Device hostnames and tag names (a device matching either is in), or ``all`` for every device.

    A run over the whole fleet must say so: empty targets without ``all`` are refused, so a
    forgotten filter never backs up (or pushes to) every device.
    """

    devices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    all: bool = False

    @classmethod
    def of(cls, devices: Iterable[str] = (), tags: Iterable[str] = (), all: bool = False) -> Targets:
        """Targets from names; raises a one-line ``JobError`` when none is given and ``all`` is not set."""
        targets = cls(tuple(dict.fromkeys(devices)), tuple(dict.fromkeys(tags)), all)
        if all and (targets.devices or targets.tags):
            raise JobError("give either --all or --device/--tag, not both")
        if not (all or targets.devices or targets.tags):
            raise JobError("no targets: give --device, --tag or --all (the whole fleet)")
        return targets

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Targets:
        return cls.of(data.get("devices", ()), data.get("tags", ()), bool(data.get("all", False)))

    def to_dict(self) -> dict[str, Any]:
        return {"devices": list(self.devices), "tags": list(self.tags), "all": self.all}

    def describe(self) -> str:
        if self.all:
            return "all devices"
        parts = [f"device {d}" for d in self.devices] + [f"tag {t}" for t in self.tags]
        return ", ".join(parts)

    def check(self, session: Session) -> None:
        """Raise a one-line ``InventoryError`` naming the first device or tag that does not exist."""
        for names, column, noun in (
            (self.devices, core.devices.c.hostname, "device"),
            (self.tags, core.tags.c.name, "tag"),
        ):
            if not names:
                continue
            known = set(session.scalars(select(column).where(column.in_(names))))
            missing = [name for name in names if name not in known]
            if missing:
                raise InventoryError(f"no {noun} named {missing[0]!r}")

    def query(self) -> Select[Any]:
        """The ids of the enabled devices these targets reach."""
        devices, links = core.devices, core.device_tags
        query = select(devices.c.id).where(devices.c.enabled.is_(True)).order_by(devices.c.hostname)
        if self.all:
            return query
        tagged = (
            select(links.c.device_id)
            .join(core.tags, core.tags.c.id == links.c.tag_id)
            .where(core.tags.c.name.in_(self.tags))
        )
        return query.where(or_(devices.c.hostname.in_(self.devices), devices.c.id.in_(tagged)))

    def device_ids(self, session: Session) -> list[int]:
        return list(session.scalars(self.query()))

    def count(self, connection: Connection) -> int:
        """How many enabled devices these targets reach (SQLAlchemy Core: no ORM needed)."""
        return connection.execute(select(func.count()).select_from(self.query().subquery())).scalar_one()
