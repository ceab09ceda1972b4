"""``netraven device import`` of CSV, YAML and JSON files with every probe class: each is refused
with one line per problem (file-level problems: exactly one line) and the database is unchanged
(defects 10 and 11 of #13)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from sqlalchemy import Engine

from tests.bad_input.conftest import CONTROL, HUGE_TEXT, assert_one_line_error, dump

GOOD = {"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios"}
FORMATS = ("csv", "yaml", "json")


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8", errors="surrogateescape") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(dict.fromkeys(k for row in rows for k in row)))
            writer.writeheader()
            writer.writerows(rows)
    elif path.suffix == ".json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8", errors="surrogateescape")
    return path


# Rows that are wrong, by probe class (a field value each).
ROW_PROBES: dict[str, dict[str, Any]] = {
    **{f"hostname {name}": {"hostname": value} for name, value in CONTROL.items()},
    "tag with escape": {"tags": "core;\x1b[31mred"},
    "description with nul": {"description": "a\x00b"},
    "huge hostname": {"hostname": HUGE_TEXT},
    "huge port": {"port": str(10**30)},
    "nan port": {"port": "nan"},
    "negative port": {"port": "-1"},
    "boolean junk": {"enabled": "maybe"},
}
# Wrong types only YAML and JSON can carry.
TYPED_PROBES: dict[str, dict[str, Any]] = {
    "hostname list": {"hostname": ["r1"]},
    "hostname mapping": {"hostname": {"a": 1}},
    "port float nan": {"port": float("nan")},
    "port float inf": {"port": float("inf")},
    "port huge int": {"port": 2**64},
    "tags mapping": {"tags": {"a": 1}},
    "enabled number": {"enabled": 7},
}


@pytest.fixture
def importing(cli: Callable[..., Result], db_engine: Engine) -> Callable[[Path], Result]:
    """Import a file, asserting the database is left as it was."""

    def run(path: Path) -> Result:
        before = dump(db_engine)
        result = cli("device", "import", str(path))
        assert dump(db_engine) == before
        lines = result.stderr.splitlines()
        assert result.exit_code == 1 and lines and lines[-1].startswith("Error: "), result.output
        assert all(line.isprintable() for line in lines), lines
        return result

    return run


def _row_cases() -> list[Any]:
    cases = [pytest.param(fmt, probe, id=f"{fmt}-{probe}") for fmt in FORMATS for probe in ROW_PROBES]
    return cases + [
        pytest.param(fmt, probe, id=f"{fmt}-{probe}") for fmt in ("yaml", "json") for probe in TYPED_PROBES
    ]


@pytest.mark.parametrize(("fmt", "probe"), _row_cases())
def test_bad_row(importing: Callable[[Path], Result], tmp_path: Path, fmt: str, probe: str) -> None:
    bad = {**GOOD, "hostname": "r2", **{**ROW_PROBES, **TYPED_PROBES}[probe]}
    path = tmp_path / f"devices.{fmt}"
    if fmt == "json" and "\udcff" in json.dumps(bad, ensure_ascii=False):
        pytest.skip("JSON text cannot hold a lone surrogate")
    result = importing(write(path, [GOOD, bad]))
    if probe == "hostname lone surrogate":  # written to a file it is invalid UTF-8 or YAML
        assert_one_line_error(result)
    else:
        assert result.stderr.splitlines()[0].startswith("row 2: "), result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_hostnames(importing: Callable[[Path], Result], tmp_path: Path, fmt: str) -> None:
    result = importing(write(tmp_path / f"devices.{fmt}", [GOOD, {**GOOD, "host": "10.0.0.2"}]))
    assert "row 2: duplicate hostname 'r1' (also row 1)" in result.stderr


def test_repeated_csv_column(importing: Callable[[Path], Result], tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    path.write_text("hostname,host,platform,Hostname\nr1,10.0.0.1,cisco_ios,r9\n", encoding="utf-8")
    assert_one_line_error(importing(path), "column 'hostname' appears twice in the header")


def test_one_field_under_two_names(importing: Callable[[Path], Result], tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    path.write_text("hostname,host,platform,ip\nr1,10.0.0.1,cisco_ios,10.0.0.2\n", encoding="utf-8")
    assert_one_line_error(importing(path), "the header gives 'host' twice ('host' and 'ip')")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("devices.yaml", "- hostname: r1\n  host: 10.0.0.1\n  platform: cisco_ios\n  hostname: r9\n"),
        (
            "devices.json",
            '[{"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios", "hostname": "r9"}]',
        ),
    ],
)
def test_repeated_key(importing: Callable[[Path], Result], tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(importing(path), "key 'hostname' given twice")


@pytest.mark.parametrize("fmt", FORMATS)
def test_binary_junk(importing: Callable[[Path], Result], tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"devices.{fmt}"
    path.write_bytes(bytes(range(256)) * 8)
    assert_one_line_error(importing(path))


@pytest.mark.parametrize("fmt", ("yaml", "json"))
def test_not_a_list(importing: Callable[[Path], Result], tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"devices.{fmt}"
    path.write_text("42\n", encoding="utf-8")
    assert_one_line_error(importing(path), "expected a list of devices")
