"""Import of the log files NetRaven wrote before it logged to the database.

Formats are described in :mod:`netraven.logimport.parsing`, file naming in
:mod:`netraven.logimport.files`.
"""
