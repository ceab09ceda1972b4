"""``@pytest.mark.exclusive``: a test that runs while no other test of the session runs.

Under pytest-xdist every test holds a shared lock on a file of this test session while it runs; an
exclusive test takes that lock exclusively, so it starts once the tests under way have finished and
the other workers wait until it is done. A second lock is a turnstile taken briefly by every test,
so an exclusive test waiting for its turn is not starved by a stream of new shared holders.

A test that measures behaviour under load of its own (500 simulated devices served to 50 threads)
measures the machine's other work instead when it shares two cores with three other workers.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "exclusive: runs while no other test of the session runs")


@pytest.fixture(autouse=True)
def _exclusive_gate(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    exclusive = request.node.get_closest_marker("exclusive") is not None
    base = tmp_path_factory.getbasetemp().parent / "exclusive"  # shared by the session's workers
    with ExitStack() as locks:
        turnstile = locks.enter_context(open(f"{base}.turnstile", "a"))
        gate = locks.enter_context(open(f"{base}.gate", "a"))
        fcntl.flock(turnstile, fcntl.LOCK_EX)
        fcntl.flock(gate, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        if not exclusive:
            fcntl.flock(turnstile, fcntl.LOCK_UN)
        yield
