"""The inventory: devices and tags, validated, and bulk import from CSV or fleet files.

Every function takes a SQLAlchemy ``Session`` first and works inside the caller's transaction;
bad input raises :class:`~netraven.exceptions.InventoryError` (one line) before anything is written::

    with open_session() as session:
        add_device(session, "core-1", "10.0.0.1", "cisco_ios", tags=["site-a", "core"])
        report = import_devices(session, "fleet.csv", default_tags=["imported"])
"""

from typing import TYPE_CHECKING

from netraven.lazy import lazy_exports

if TYPE_CHECKING:
    from netraven.inventory.circuit import reset_circuit
    from netraven.inventory.devices import (
        add_device,
        edit_device,
        get_device,
        list_devices,
        remove_device,
    )
    from netraven.inventory.facts import FACTS, record_facts
    from netraven.inventory.importer import (
        ImportReport,
        ImportValidationError,
        import_devices,
        import_records,
        import_upload,
    )
    from netraven.inventory.listing import BACKUP_STATUSES, query_devices, query_tags
    from netraven.inventory.streaming import stream_devices
    from netraven.inventory.tags import add_tag, edit_tag, get_tag, list_tags, remove_tag, tag_names

__all__ = [
    "BACKUP_STATUSES",
    "FACTS",
    "ImportReport",
    "ImportValidationError",
    "add_device",
    "add_tag",
    "edit_device",
    "edit_tag",
    "get_device",
    "get_tag",
    "import_devices",
    "import_records",
    "import_upload",
    "list_devices",
    "list_tags",
    "query_devices",
    "query_tags",
    "record_facts",
    "remove_device",
    "remove_tag",
    "reset_circuit",
    "stream_devices",
    "tag_names",
]

_HOMES = {
    "BACKUP_STATUSES": "netraven.inventory.listing",
    "FACTS": "netraven.inventory.facts",
    "ImportReport": "netraven.inventory.importer",
    "ImportValidationError": "netraven.inventory.importer",
    "add_device": "netraven.inventory.devices",
    "add_tag": "netraven.inventory.tags",
    "edit_device": "netraven.inventory.devices",
    "edit_tag": "netraven.inventory.tags",
    "get_device": "netraven.inventory.devices",
    "get_tag": "netraven.inventory.tags",
    "import_devices": "netraven.inventory.importer",
    "import_records": "netraven.inventory.importer",
    "import_upload": "netraven.inventory.importer",
    "list_devices": "netraven.inventory.devices",
    "list_tags": "netraven.inventory.tags",
    "query_devices": "netraven.inventory.listing",
    "query_tags": "netraven.inventory.listing",
    "record_facts": "netraven.inventory.facts",
    "remove_device": "netraven.inventory.devices",
    "remove_tag": "netraven.inventory.tags",
    "reset_circuit": "netraven.inventory.circuit",
    "stream_devices": "netraven.inventory.streaming",
    "tag_names": "netraven.inventory.tags",
}
__getattr__ = lazy_exports(__name__, _HOMES)
