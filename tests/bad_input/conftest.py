"""The bad-input suite's probes and checks: one-line errors, and a database left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Connection, Engine, select

from netraven.cli import main
from netraven.db.base import Base

# Text that must never become a name: each is refused wherever a name or label enters.
CONTROL = {
    "nul": "r1\x00",
    "newline": "r1\nINFO forged line",
    "carriage return": "r1\rforged",
    "escape": "\x1b[31mred\x1b[0m",
    "bell": "r\x07",
    "delete": "r1\x7f",
    "c1 control": "r1\x9b2J",
    "bidi override": "r1\u202egnp.exe",
    "zero width": "r\u200b1",
    "line separator": "r1\u2028x",
    "paragraph separator": "r1\u2029x",
    "lone surrogate": "r1\udcff",
}
HUGE_TEXT = "x" * 100_000
WRONG_TYPES: dict[str, object] = {"list": ["r1"], "mapping": {"a": 1}, "bytes": b"r1", "bool": True}


def dump(bind: Engine | Connection) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, in a stable order: equal dumps mean nothing was written.

    The audit trail's ``failed`` rows are left out: a refused change is recorded (on purpose).
    """
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return dump(connection)
    rows = {}
    for table in Base.metadata.sorted_tables:
        query = select(table)
        if table.name == "audit_entries":
            query = query.where(table.c.outcome != "failed")
        rows[table.name] = sorted(tuple(map(repr, row)) for row in bind.execute(query))
    return rows


def assert_one_line_error(result: Result, *fragments: str) -> None:
    """Exit status 1 and a single ``Error: ...`` line on stderr that holds every fragment."""
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert all(fragment in result.stderr for fragment in fragments), result.stderr
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr


@pytest.fixture
def cli(db_url: str) -> Callable[..., Result]:
    """Run ``netraven ARGS`` on the session's migrated database of each kind."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(
            main, list(args), input=input, env={"NETRAVEN_DATABASE__URL": db_url, **(env or {})}
        )

    return invoke
