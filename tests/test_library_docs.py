"""docs/library.md runs as written: its ```python blocks, in order, in one namespace.

The test gives the doc what it says a reader sets: ``NETRAVEN_HOME`` (a new directory, from the
autouse fixture), ``LAB_ADDRESS``/``LAB_PORT`` (a free loopback address, so parallel tests do not
collide) and, for the PostgreSQL variant, ``NETRAVEN_DATABASE__URL``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netraven.simulator.process import free_base_address
from tests.conftest import DB_KINDS

LIBRARY = Path(__file__).parents[1] / "docs" / "library.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("kind", DB_KINDS)
def test_every_snippet_runs_in_order(
    kind: str,
    new_database_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if kind == "postgresql":
        monkeypatch.setenv("NETRAVEN_DATABASE__URL", new_database_url(kind))
    address, port = free_base_address()
    monkeypatch.setenv("LAB_ADDRESS", address)
    monkeypatch.setenv("LAB_PORT", str(port))
    blocks = python_blocks(LIBRARY.read_text())
    assert len(blocks) == 7, "one block per step"
    namespace: dict[str, Any] = {"__name__": "library_md"}
    try:
        for number, block in enumerate(blocks, 1):
            exec(compile(block, f"docs/library.md block {number}", "exec"), namespace)
    finally:
        if "lab" in namespace:
            namespace["lab"].stop()
    printed = capsys.readouterr().out

    ios, junos = (device["hostname"] for device in namespace["lab"].devices)
    assert namespace["report"].summary.status == "succeeded", namespace["report"]
    assert f"{namespace['report'].summary.hosts_succeeded}/2 hosts succeeded" in printed
    assert namespace["latest"].hostname == ios and f"hostname {ios}" in namespace["latest"].text
    assert "+snmp-server location library-md-lab" in printed  # the diff after the change
    assert namespace["mine"].summary.status == "succeeded"
    assert f"{ios} succeeded Cisco IOS Software" in printed
    assert f"{junos} succeeded Hostname: {junos}" in printed
    assert f"cmdb-sync device.edit {ios} {{'description': [None, 'synced from the CMDB']}}" in printed


def test_the_library_names_load_on_first_use() -> None:
    code = (
        "import sys, netraven\n"
        "heavy = [m for m in ('nornir', 'netmiko', 'sqlalchemy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "from netraven import JobType, Targets, run_job\n"
        "from netraven.jobs import JobType as Contract\n"
        "assert JobType is Contract and callable(run_job) and Targets.of(all=True).all\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
