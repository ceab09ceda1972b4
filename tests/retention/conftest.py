"""One migrated database of each kind for the module, emptied before each test (building many
databases of 100,000 rows costs more than emptying one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, delete

from netraven.db.models import (
    AuditEntry,
    ConnectionLog,
    Device,
    DeviceConfiguration,
    JobLog,
    JobResult,
    JobRun,
)
from tests.conftest import DB_KINDS, migrated_engine

EMPTIED = (DeviceConfiguration, ConnectionLog, JobResult, JobLog, JobRun, Device, AuditEntry)


@pytest.fixture(scope="module", params=DB_KINDS)
def module_engine(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> Iterator[Engine]:
    with migrated_engine(new_database_url(request.param)) as engine:
        yield engine


@pytest.fixture
def engine(module_engine: Engine) -> Engine:
    with module_engine.begin() as conn:
        for model in EMPTIED:
            conn.execute(delete(model))
    return module_engine
