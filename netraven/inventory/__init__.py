"""The inventory: devices and tags, validated, and bulk import from CSV or fleet files.

Every function takes a SQLAlchemy ``Session`` first and works inside the caller's transaction;
bad input raises :class:`~netraven.exceptions.InventoryError` (one line) before anything is written::

    with open_session() as session:
        add_device(session, "core-1", "10.0.0.1", "cisco_ios", tags=["site-a", "core"])
        report = import_devices(session, "fleet.csv", default_tags=["imported"])
"""

from netraven.inventory.devices import (
    add_device,
    edit_device,
    get_device,
    list_devices,
    remove_device,
    stream_devices,
)
from netraven.inventory.importer import ImportReport, ImportValidationError, import_devices
from netraven.inventory.listing import BACKUP_STATUSES, query_devices, query_tags
from netraven.inventory.tags import add_tag, get_tag, list_tags, remove_tag

__all__ = [
    "BACKUP_STATUSES",
    "ImportReport",
    "ImportValidationError",
    "add_device",
    "add_tag",
    "edit_device",
    "get_device",
    "get_tag",
    "import_devices",
    "list_devices",
    "list_tags",
    "query_devices",
    "query_tags",
    "remove_device",
    "remove_tag",
    "stream_devices",
]
