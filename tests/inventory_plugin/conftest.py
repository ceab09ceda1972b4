"""The plugin opens its own sessions: its tests use a fresh database per test, committed for real."""

from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.credentials.store import add_credential
from netraven.credentials.vault import load_vault
from netraven.db import create_session_factory
from netraven.db.models import Device, Tag
from netraven.settings import Settings, load_settings


@pytest.fixture
def engine(fresh_engine: Engine) -> Engine:
    return fresh_engine


@pytest.fixture
def settings() -> Settings:
    """Settings with short device timeouts and no retry delay, so failure tests stay quick."""
    return load_settings(
        environ={
            "NETRAVEN_HOME": load_settings().home.as_posix(),
            "NETRAVEN_CONNECTION__TIMEOUT": "3",
            "NETRAVEN_CONNECTION__AUTH_TIMEOUT": "5",
            "NETRAVEN_CONNECTION__BANNER_TIMEOUT": "5",
            "NETRAVEN_CONNECTION__READ_TIMEOUT": "10",
            "NETRAVEN_CONNECTION__RETRY_ATTEMPTS": "2",
            "NETRAVEN_CONNECTION__RETRY_INITIAL_DELAY": "0.1",
        }
    )


def load_fleet(engine: Engine, settings: Settings, devices: list[dict[str, Any]], credentials: list[dict[str, str]],
               secret: str | None = None) -> None:  # fmt: skip
    """Store ``devices`` tagged ``lab`` and each fleet credential bound to that tag, in fleet order."""
    vault = load_vault(settings, create=True)
    with create_session_factory(engine).begin() as session:
        lab = session.scalar(select(Tag).where(Tag.name == "lab")) or Tag(name="lab", type="site")
        session.add_all(
            Device(
                hostname=d["hostname"],
                host=d["host"],
                port=d["port"],
                platform=d["platform"],
                transport="telnet" if d.get("transport") == "telnet" else None,
                tags=[lab],
                data={"simulated": True},
            )
            for d in devices
        )
        session.flush()
        for position, cred in enumerate(credentials):
            add_credential(session, vault, f"lab-{position + 1}", cred["username"], cred["password"], secret,
                           priority=10 * (position + 1), tags=["lab"])  # fmt: skip


def count_rows(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.query(model).count()
