"""Migrations yield exactly the models' schema on SQLite and PostgreSQL, both ways."""

import subprocess
import sys
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import netraven.db.models  # noqa: F401
from netraven.db import Base, create_engine_for_url, migrate
from netraven.exceptions import SchemaError


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_matches_models_and_downgrade_round_trips(
    kind: str, new_database_url: Callable[[str], str]
) -> None:
    engine = create_engine_for_url(new_database_url(kind))
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)

        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []

        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_missing_schema_is_reported_with_the_fix(new_database_url: Callable[[str], str]) -> None:
    engine = create_engine_for_url(new_database_url("sqlite"))
    with pytest.raises(SchemaError, match=r"has no NetRaven schema: run 'netraven db upgrade'"):
        migrate.require_current_schema(engine)
    migrate.upgrade(engine)
    migrate.require_current_schema(engine)


def test_unknown_revision_is_reported(new_database_url: Callable[[str], str]) -> None:
    engine = create_engine_for_url(new_database_url("sqlite"))
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff'")
    with pytest.raises(SchemaError, match="ffff, which this NetRaven does not know"):
        migrate.require_current_schema(engine)


def test_schema_revision_is_alembics_head() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_REVISION  # bump it with every new revision


def test_checking_a_current_schema_does_not_import_alembic(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = create_engine_for_url(url)
    migrate.upgrade(engine)
    engine.dispose()
    check = (
        "import sys; from netraven.db import create_engine_for_url, migrate; "
        f"migrate.require_current_schema(create_engine_for_url({url!r})); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr
