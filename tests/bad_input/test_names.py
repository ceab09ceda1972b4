"""Every name and label, through the library functions the CLI and the API call: control characters,
huge values and wrong types are refused in one line and nothing is written (defect 10 of #13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from netraven.credentials.store import add_credential
from netraven.credentials.vault import Vault
from netraven.exceptions import NetRavenError
from netraven.inventory import add_device, add_tag, edit_device
from netraven.jobs import Targets, create_job, create_run
from tests.bad_input.conftest import CONTROL, HUGE_TEXT, WRONG_TYPES, dump
from tests.scheduler.jobtypes import registry

DEVICE = {"hostname": "r1", "host": "10.0.0.1", "platform": "cisco_ios"}


def _credential(session: Session, **fields: Any) -> None:
    values = {"name": "ops", "username": "netops", "password": "Pw-1", **fields}
    add_credential(session, Vault([Fernet.generate_key()]), **values)


# Each entry point that takes a name or label, given one bad value.
ENTRY_POINTS: dict[str, Callable[[Session, Any], object]] = {
    "device hostname": lambda s, v: add_device(s, **{**DEVICE, "hostname": v}),
    "device host": lambda s, v: add_device(s, **{**DEVICE, "host": v}),
    "device platform": lambda s, v: add_device(s, **{**DEVICE, "platform": v}),
    "device description": lambda s, v: add_device(s, **DEVICE, description=v),
    "device tag": lambda s, v: add_device(s, **DEVICE, tags=[v]),
    "edited description": lambda s, v: edit_device(s, "seed", description=v),
    "added tag": lambda s, v: edit_device(s, "seed", add_tags=[v]),
    "tag name": lambda s, v: add_tag(s, v),
    "tag type": lambda s, v: add_tag(s, "t1", type=v),
    "tag description": lambda s, v: add_tag(s, "t1", description=v),
    "credential name": lambda s, v: _credential(s, name=v),
    "credential username": lambda s, v: _credential(s, username=v),
    "credential description": lambda s, v: _credential(s, description=v),
    "credential tag": lambda s, v: _credential(s, tags=[v]),
    "job name": lambda s, v: create_job(s, name=v, job_type="backup", job_types=registry(), target_all=True),
    "job created_by": lambda s, v: create_job(
        s, name="j1", job_type="backup", job_types=registry(), target_all=True, created_by=v
    ),
    "run triggered_by": lambda s, v: create_run(s, "backup", Targets(all=True), triggered_by=v),
}
NAMES = {"device hostname", "device tag", "added tag", "tag name", "credential name", "credential username",
         "credential tag", "job name"}  # fmt: skip
PROBES: dict[str, object] = {**CONTROL, "huge": HUGE_TEXT, **WRONG_TYPES}


def _cases() -> list[Any]:
    cases = []
    for entry in ENTRY_POINTS:
        for probe, value in PROBES.items():
            if probe == "huge" and entry not in NAMES:
                continue  # descriptions are free-length text
            cases.append(pytest.param(entry, value, id=f"{entry}-{probe}"))
    return cases


@pytest.mark.parametrize(("entry", "value"), _cases())
def test_refused_in_one_line_and_nothing_written(session: Session, entry: str, value: object) -> None:
    add_device(session, "seed", "10.0.0.9", "cisco_ios", tags=["seed-tag"])
    session.flush()
    before = dump(session.connection())
    with pytest.raises(NetRavenError) as caught:
        ENTRY_POINTS[entry](session, value)
    message = str(caught.value)
    assert message and "\n" not in message and message.isprintable(), message
    assert len(message) < 300, message
    session.flush()
    assert dump(session.connection()) == before


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_plain_text_still_accepted(session: Session, entry: str) -> None:
    add_device(session, "seed", "10.0.0.9", "cisco_ios", tags=["seed-tag"])
    value = {"device host": "r1.example.net", "device platform": "cisco_xe"}.get(
        entry, "Zürich core-1 (bât. A)"
    )
    ENTRY_POINTS[entry](session, value)


NUMBERS: dict[str, Callable[[Session, Any], object]] = {
    "device port": lambda s, v: add_device(s, **DEVICE, port=v),
    "edited port": lambda s, v: edit_device(s, "seed", port=v),
    "credential priority": lambda s, v: _credential(s, priority=v),
    "job priority": lambda s, v: create_job(
        s, name="j1", job_type="backup", job_types=registry(), target_all=True, priority=v
    ),
}


@pytest.mark.parametrize("entry", sorted(NUMBERS))
@pytest.mark.parametrize("value", [2**63, -(2**63), float("nan"), float("inf"), "12x", "", [1]])
def test_numbers_refused_in_one_line(session: Session, entry: str, value: object) -> None:
    add_device(session, "seed", "10.0.0.9", "cisco_ios")
    session.flush()
    before = dump(session.connection())
    with pytest.raises(NetRavenError) as caught:
        NUMBERS[entry](session, value)
    assert "\n" not in str(caught.value) and str(caught.value).isprintable()
    session.flush()
    assert dump(session.connection()) == before


def test_duplicate_names_refused(session: Session) -> None:
    add_device(session, "seed", "10.0.0.9", "cisco_ios", tags=["seed-tag"])
    _credential(session)
    create_job(session, name="j1", job_type="backup", job_types=registry(), target_all=True)
    session.flush()
    before = dump(session.connection())
    duplicates: list[Callable[[], object]] = [
        lambda: add_device(session, " seed ", "10.0.0.8", "cisco_ios"),
        lambda: add_tag(session, "seed-tag"),
        lambda: _credential(session, name="ops"),
        lambda: create_job(session, name="j1", job_type="backup", job_types=registry(), target_all=True),
    ]
    for duplicate in duplicates:
        with pytest.raises(NetRavenError, match="already exists"):
            duplicate()
    session.flush()
    assert dump(session.connection()) == before
