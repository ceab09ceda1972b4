"""The exclusive marker (tests/exclusive.py) under pytest-xdist, in a pytest run of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import exclusive

pytest_plugins = ["pytester"]

SUITE = """
import time
from pathlib import Path

import pytest

RUNNING = Path(__file__).parent / "running"


def hold(name, seconds=0.4):
    RUNNING.mkdir(exist_ok=True)
    marker = RUNNING / name
    marker.touch()
    try:
        others = set()
        for _ in range(8):
            others |= {p.name for p in RUNNING.iterdir()} - {name}
            time.sleep(seconds / 8)
        return others
    finally:
        marker.unlink()


@pytest.mark.parametrize("n", range(6))
def test_shared(n):
    hold(f"shared-{n}")


@pytest.mark.exclusive
@pytest.mark.parametrize("n", range(2))
def test_alone(n):
    assert hold(f"alone-{n}") == set()
"""


@pytest.mark.slow
def test_an_exclusive_test_never_overlaps_another(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(Path(exclusive.__file__).read_text())
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess("-n", "3", "--dist", "load", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8)
