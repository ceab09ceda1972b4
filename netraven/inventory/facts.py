"""A device's facts: OS version, model, serial number and uptime, as a backup last read them.

Facts are what the device said, not what people set: no audit row, no config version. Each read
replaces the four together (a fact the read did not find is cleared) and stamps ``facts_at``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.rows import update_device
from netraven.exceptions import InventoryError
from netraven.inventory.validation import unprintable

FACTS = ("os_version", "model", "serial", "uptime")
MAX_FACT = 255  # the columns' length


def clean_fact(value: object) -> str | None:
    """``value`` as one line of printable text of at most :data:`MAX_FACT` characters; None if blank."""
    text = " ".join(str(value).split()) if value is not None else ""
    text = "".join(char for char in text if unprintable(char) is None)
    return text[:MAX_FACT] or None


def record_facts(
    session: Session, device_id: int, facts: Mapping[str, object], at: datetime | None = None
) -> dict[str, str | None]:
    """Store ``facts`` (keys among :data:`FACTS`, values already redacted) read ``at`` (default now)
    from device ``device_id``; return the stored values."""
    unknown = sorted(set(facts) - set(FACTS))
    if unknown:
        raise InventoryError(f"unknown fact {unknown[0]!r} (facts: {', '.join(FACTS)})")
    values = {name: clean_fact(facts.get(name)) for name in FACTS}
    update_device(session, device_id, **values, facts_at=at or utcnow())
    return values
