"""Devices from the tools people leave: Oxidized's and RANCID's ``router.db`` files.

Their model names become netmiko device types (:mod:`.models`), their lines device records
(:mod:`.routerdb`), imported all or nothing through the inventory's importer, the logins of an
Oxidized file becoming encrypted credentials bound to their devices (:mod:`.importer`)::

    with open_session() as session:
        report = import_router_db(session, settings, "router.db", "oxidized", default_tags=["oxidized"])
"""

from netraven.toolimport.importer import ToolImportReport, import_router_db
from netraven.toolimport.models import OXIDIZED, RANCID
from netraven.toolimport.routerdb import FORMATS

__all__ = ["FORMATS", "OXIDIZED", "RANCID", "ToolImportReport", "import_router_db"]
