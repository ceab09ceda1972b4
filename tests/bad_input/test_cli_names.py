"""Names with control characters, and huge numbers, given on the command line: one ``Error:`` line
with the value escaped, and nothing written (defect 10 of #13; defect 9 for integers >= 2**63)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result
from sqlalchemy import Engine

from tests.bad_input.conftest import CONTROL, assert_one_line_error, dump

COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "device add": lambda v: ["device", "add", v, "--host", "10.0.0.1", "--platform", "cisco_ios"],
    "device add --tag": lambda v: ["device", "add", "r1", "--host", "10.0.0.1", "--platform", "cisco_ios",
                                   "--tag", v],
    "device add --description": lambda v: ["device", "add", "r1", "--host", "10.0.0.1", "--platform",
                                           "cisco_ios", "--description", v],
    "tag add": lambda v: ["tag", "add", v],
    "tag add --type": lambda v: ["tag", "add", "t1", "--type", v],
    "credential add": lambda v: ["credential", "add", v, "--username", "u", "--no-enable-secret"],
    "credential add --username": lambda v: ["credential", "add", "c1", "--username", v, "--no-enable-secret"],
    "job create": lambda v: ["job", "create", v, "--type", "backup", "--all"],
    "job create --user": lambda v: ["--user", v, "job", "create", "j1", "--type", "backup", "--all"],
}  # fmt: skip
# Control characters a shell can pass in an argument (not NUL), one per kind.
PROBES = {
    name: CONTROL[name] for name in ("newline", "escape", "c1 control", "bidi override", "line separator")
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_control_characters(cli: Callable[..., Result], db_engine: Engine, command: str, probe: str) -> None:
    before = dump(db_engine)
    result = cli(*COMMANDS[command](PROBES[probe]), input="Pw-1\n")
    assert_one_line_error(result, "contains a control character")
    assert dump(db_engine) == before


@pytest.mark.parametrize(
    "args",
    [
        ["credential", "add", "c1", "--username", "u", "--no-enable-secret", "--priority", str(2**63)],
        ["job", "create", "j1", "--type", "backup", "--all", "--priority", str(2**63)],
        ["device", "add", "r1", "--host", "10.0.0.1", "--platform", "cisco_ios", "--port", str(2**63)],
    ],
    ids=["credential priority", "job priority", "device port"],
)
def test_huge_integers(cli: Callable[..., Result], db_engine: Engine, args: list[str]) -> None:
    before = dump(db_engine)
    result = cli(*args, input="Pw-1\n")
    assert result.exit_code in (1, 2) and "Traceback" not in result.output, result.output
    assert len(result.stderr.strip().splitlines()) <= 3, result.stderr  # click's usage errors: usage + hint
    assert dump(db_engine) == before
