"""Import of the log files NetRaven wrote before it logged to the database (``netraven migrate-logs``).

Formats are described in :mod:`netraven.logimport.parsing`, file naming in
:mod:`netraven.logimport.files`, and grouping, idempotence and transactions in
:mod:`netraven.logimport.importer`::

    report = import_logs(sessionmaker(engine), Path("/var/log/netraven"), ZoneInfo("Europe/Paris"))
"""

from netraven.logimport.importer import ImportReport, import_logs

__all__ = ["ImportReport", "import_logs"]
