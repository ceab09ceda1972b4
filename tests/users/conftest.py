"""Settings for the people tests: a data directory of their own, small limits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from netraven.settings import Settings, WebSettings
from netraven.users import UserView, add_user
from tests.audit.conftest import trail

__all__ = ["trail"]

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, web=WebSettings(login_max_failures=3, login_rate_per_minute=50))


def make_user(session: Session, settings: Settings, name: str = "alice", role: str = "operator") -> UserView:
    return add_user(session, settings, name, PASSWORD, role)


def with_web(settings: Settings, **changes: object) -> Settings:
    return replace(settings, web=replace(settings.web, **changes))
