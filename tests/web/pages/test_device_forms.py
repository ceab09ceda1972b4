"""Add, edit, delete and import devices through the pages: operators only, each error next to its
field, nothing written on any refusal; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import inventory
from netraven.db.models import AuditEntry, Device, Tag
from tests.web.conftest import count
from tests.web.pages.conftest import PageClient, assert_page

GOOD = {"hostname": "core-1", "host": "10.0.0.1", "platform": "cisco_ios", "port": "22", "tags": "core, site-a",
        "description": "Core one", "enabled": "1"}  # fmt: skip


def error_of(html: str, field: str) -> str:
    """The error shown under ``field`` (empty if none)."""
    start = html.find(f'id="f-{field}-error"')
    if start < 0:
        return ""
    return unescape(html[html.index(">", start) + 1 : html.index("</small>", start)])


def snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        devices = session.scalars(select(Device).order_by(Device.hostname)).all()
        rows: list[tuple[object, ...]] = [(d.hostname, d.host, d.port, d.platform, d.description, d.enabled, tuple(d.tag_names()))
                for d in devices]  # fmt: skip
    return [*rows, (count(engine, Tag),)]


def test_an_operator_adds_a_device(page_client: Callable[..., PageClient], engine: Engine) -> None:
    operator = page_client("operator")
    form = assert_page(operator.get("/devices/new"), 200, 'name="hostname"', 'for="f-hostname"', "csrf_token")
    assert 'list="platforms"' in form and '<option value="cisco_ios">' in form
    response = operator.post_form("/devices/new", GOOD)
    assert response.status_code == 303 and response.headers["location"] == "/devices/core-1"
    assert snapshot(engine) == [
        ("core-1", "10.0.0.1", 22, "cisco_ios", "Core one", True, ("core", "site-a")),
        (2,),
    ]
    with Session(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "device.add")).one()
    assert (entry.actor_name, entry.object_id) == ("operator", "core-1")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hostname": ""}, "hostname", "hostname is empty"),
        ({"hostname": "x" * 256}, "hostname", "is longer than 255 characters"),
        ({"hostname": "dup"}, "hostname", "a device named 'dup' already exists"),
        ({"host": ""}, "host", "address is empty"),
        ({"host": "300.1.1.1"}, "host", "not a valid IPv4 address"),
        ({"platform": "cisco_iso"}, "platform", "did you mean cisco_ios?"),
        ({"port": "seventy"}, "port", "valid integer"),
        ({"port": "70000"}, "port", "outside 1-65535"),
        ({"tags": "ok, bad\x01tag"}, "tags", "contains a control character (U+0001)"),
        ({"tags": "x" * 300}, "tags", "longer than 255"),
    ],
)
def test_a_bad_new_device_shows_the_error_next_to_its_field_and_adds_nothing(
    page_client: Callable[..., PageClient], engine: Engine, change: dict[str, str], field: str, message: str
) -> None:
    with Session(engine) as session, session.begin():
        inventory.add_device(session, "dup", "10.9.9.9", "cisco_ios")
    before = snapshot(engine)
    html = assert_page(page_client("operator").post_form("/devices/new", {**GOOD, **change}), 422)
    assert message in error_of(html, field), (field, html[:4000])
    assert f'value="{GOOD["description"]}"' not in html  # a textarea keeps its text inside the element
    assert "Core one</textarea>" in html  # the form keeps what was typed
    assert snapshot(engine) == before


def test_an_operator_edits_a_device_and_a_bad_edit_changes_nothing(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    with Session(engine) as session, session.begin():
        inventory.add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["a", "b"], description="old")
    operator = page_client("operator")
    form = assert_page(
        operator.get("/devices/r1/edit"), 200, 'value="10.0.0.1"', 'value="a, b"', "old</textarea>"
    )
    assert 'name="hostname"' not in form
    before = snapshot(engine)
    for change, field in (({"host": "bad host!"}, "host"), ({"port": ""}, "port"), ({"tags": "a, " + "x" * 256}, "tags"),
                          ({"platform": ""}, "platform")):  # fmt: skip
        data = {
            "host": "10.0.0.2",
            "port": "22",
            "platform": "cisco_ios",
            "tags": "b, c",
            "enabled": "1",
            **change,
        }
        html = assert_page(operator.post_form("/devices/r1/edit", data), 422)
        assert error_of(html, field), (field, html[:3000])
        assert snapshot(engine) == before
    response = operator.post_form("/devices/r1/edit", {"host": "10.0.0.2", "port": "2222", "platform": "cisco_nxos",
                                                        "tags": "b, c", "description": ""})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/devices/r1"
    assert snapshot(engine)[0] == ("r1", "10.0.0.2", 2222, "cisco_nxos", None, False, ("b", "c"))


def test_delete_asks_first_then_deletes(page_client: Callable[..., PageClient], engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        inventory.add_device(session, "r1", "10.0.0.1", "cisco_ios")
    operator = page_client("operator")
    assert_page(operator.get("/devices/r1/delete"), 200, "Delete r1?", 'action="/devices/r1/delete"')
    assert count(engine, Device) == 1  # asking deletes nothing
    assert operator.post_form("/devices/r1/delete", {}, csrf=False).status_code == 403
    assert count(engine, Device) == 1
    response = operator.post_form("/devices/r1/delete", {})
    assert response.status_code == 303 and response.headers["location"] == "/devices"
    assert count(engine, Device) == 0
    assert_page(operator.get("/devices/r1/delete"), 404)


def test_viewers_get_no_forms_and_cannot_post_them(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    with Session(engine) as session, session.begin():
        inventory.add_device(session, "r1", "10.0.0.1", "cisco_ios")
    viewer = page_client("viewer")
    for url in ("/devices/new", "/devices/r1/edit", "/devices/r1/delete", "/devices/import"):
        assert viewer.get(url).status_code == 403, url
    assert viewer.post_form("/devices/new", GOOD).status_code == 403
    assert (
        viewer.post_form("/devices/r1/edit", {"host": "10.0.0.9", "platform": "cisco_ios"}).status_code == 403
    )
    assert viewer.post_form("/devices/r1/delete", {}).status_code == 403
    assert snapshot(engine) == [("r1", "10.0.0.1", 22, "cisco_ios", None, True, ()), (0,)]
    nobody = page_client(None).get("/devices/new")
    assert nobody.status_code == 303 and nobody.headers["location"].startswith("/login?next=/devices/new")


CSV = b"hostname,host,platform,tags\nimp-1,10.1.0.1,cisco_ios,core\nimp-2,10.1.0.2,arista_eos,\n"
BAD_CSV = (
    b"hostname,host,platform\nimp-1,10.1.0.1,cisco_ios\nimp-2,300.1.1.1,cisco_ios\nimp-3,10.1.0.3,nope\n"
)


def test_import_a_file_and_see_what_it_did(page_client: Callable[..., PageClient], engine: Engine) -> None:
    operator = page_client("operator")
    assert_page(
        operator.get("/devices/import"), 200, 'type="file"', 'for="f-file"', 'enctype="multipart/form-data"'
    )
    files = {"file": ("fleet.csv", CSV, "text/csv")}
    response = operator.post("/devices/import", data={"csrf_token": operator.csrf_token, "default_tags": "lab"},
                             files=files)  # fmt: skip
    html = assert_page(response, 200, "Imported 2 devices", "2 added, 0 updated")
    assert "problem" not in html
    assert [row[0] for row in snapshot(engine)[:-1]] == ["imp-1", "imp-2"]


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    [
        ("bad.csv", BAD_CSV, "file", "2 of 3 rows are invalid; nothing was imported"),
        ("fleet.txt", CSV, "file", "expected a name ending in .csv"),
        ("empty.csv", b"", "file", "no devices found"),
        ("fleet.csv", CSV, "default_tags", "is longer than 255 characters"),
        (None, b"", "file", "choose a .csv"),
    ],
)
def test_a_bad_import_shows_every_bad_row_and_imports_nothing(
    page_client: Callable[..., PageClient],
    engine: Engine,
    name: str | None,
    content: bytes,
    field: str,
    message: str,
) -> None:
    operator = page_client("operator")
    data = {"csrf_token": operator.csrf_token, "default_tags": "x" * 256 if field == "default_tags" else ""}
    files = {"file": (name, content, "text/csv")} if name else {"file": ("", b"", "application/octet-stream")}
    html = assert_page(operator.post("/devices/import", data=data, files=files), 422)
    assert message in error_of(html, field), html[:4000]
    if name == "bad.csv":
        assert "row 2: bad address '300.1.1.1'" in unescape(
            html
        ) and "row 3: unknown platform 'nope'" in unescape(html)
    assert count(engine, Device) == 0 and count(engine, Tag) == 0
