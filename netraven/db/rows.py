"""Device-row updates on a backup's hot path: one prebuilt Core UPDATE, no ORM statement per call.

An ORM ``session.execute(update(Device)...)`` builds, caches and synchronises a statement each time:
thousands of times per run it cost more CPU than the database did. The session's own copy of the
device, when it holds one, shows the new values as if it had set them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from netraven.db.models import Device

_TABLE = Device.__table__
# The SET clause comes from the parameters' other keys, the columns they name.
_UPDATE = update(_TABLE).where(_TABLE.c.id == bindparam("device_row_id"))


def update_device(session: Session, device_id: int, **values: Any) -> None:
    """Set ``values`` (column names) on device ``device_id``'s row, in the session's transaction."""
    session.connection().execute(_UPDATE, {"device_row_id": device_id, **values})
    device = session.identity_map.get(identity_key(Device, device_id))
    if device is not None:
        for name, value in values.items():
            set_committed_value(device, name, value)
