"""Parameter types shared by commands: numbers the database can take.

A number past 2**63 - 1 cannot even be sent to SQLite (OverflowError), so every integer a
command passes to a query is bounded here and a larger one is refused as a bad parameter, in
click's usual words. Values stored in narrower columns (priorities) are checked by the domain.
"""

from __future__ import annotations

import click

MAX_INT = 2**63 - 1  # SQLite's INTEGER, PostgreSQL's bigint

ID = click.IntRange(1, MAX_INT)  # a row id or a version number
COUNT = click.IntRange(0, MAX_INT)  # a limit or a number of lines
