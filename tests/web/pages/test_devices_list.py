"""``/devices``: the table filtered, sorted and paged on the server, per role; a backup now of the
selection; bad filters shown next to their field, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from netraven import inventory
from netraven.db.models import Device, JobRun
from tests.web.conftest import count
from tests.web.pages.conftest import PageClient, assert_page

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def names(html: str) -> list[str]:
    """The device names of the table, in order."""
    return re.findall(r'<th scope="row"><a href="/devices/[^"]+">([^<]+)</a>', html)


@pytest.fixture
def fleet(engine: Engine) -> None:
    """250 devices: r000..r249; every 10th tagged core, every 3rd on nxos; backups success/failed/never."""
    with Session(engine) as session, session.begin():
        inventory.add_tag(session, "core")
        rows = [
            {
                "hostname": f"r{n:03d}",
                "host": f"10.0.{n // 250}.{n % 250 + 1}",
                "platform": "cisco_nxos" if n % 3 == 0 else "cisco_ios",
                "description": "Paris" if n == 7 else None,
                "last_backup_status": ("success", "failed", None)[n % 3 - 1] if n % 3 else None,
                "last_backup_at": T0 + timedelta(minutes=n) if n % 3 else None,
            }
            for n in range(250)
        ]
        session.execute(insert(Device), rows)
        for n in range(0, 250, 10):
            inventory.edit_device(session, f"r{n:03d}", add_tags=["core"])


def test_every_role_sees_the_table_paged_by_100(fleet: None, page_client: Callable[..., PageClient]) -> None:
    for role in ("viewer", "operator", "admin"):
        html = assert_page(page_client(role).get("/devices"), 200, "1\N{EN DASH}100 of 250", "Page 1 of 3")
        assert names(html)[:2] == ["r000", "r001"] and len(names(html)) == 100
        assert ("Back up the selected devices now" in html) is (role != "viewer")
        assert ('href="/devices/new"' in html) is (role != "viewer")
    html = assert_page(page_client("viewer", "v2").get("/devices?page=3"), 200, "201\N{EN DASH}250 of 250")
    assert names(html)[0] == "r200" and len(names(html)) == 50


def test_filters_and_sorting_are_done_by_the_server(
    fleet: None, page_client: Callable[..., PageClient]
) -> None:
    client = page_client("viewer")
    assert names(client.get("/devices?q=paris").text) == ["r007"]
    assert names(client.get("/devices?q=R24").text) == [f"r24{n}" for n in range(10)]
    core = names(client.get("/devices?tag=core&platform=cisco_nxos").text)
    assert core == [f"r{n:03d}" for n in range(0, 250, 30)]
    never = client.get("/devices?status=never&sort=-hostname")
    assert names(never.text)[:2] == ["r249", "r246"] and "84 of 84" in never.text
    failed = names(client.get("/devices?status=failed&sort=-last_backup_at").text)
    assert failed[:2] == ["r248", "r245"]
    assert names(client.get("/devices?sort=-hostname&page=1").text)[0] == "r249"
    empty = assert_page(client.get("/devices?q=nothing-like-this"), 200, "No device matches these filters")
    assert names(empty) == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("status=maybe", "status", "backup status 'maybe': expected one of success, failed, never"),
        ("sort=password", "sort", "cannot sort by 'password'"),
    ],
)
def test_a_bad_filter_is_shown_next_to_its_field(
    fleet: None, page_client: Callable[..., PageClient], query: str, field: str, message: str
) -> None:
    html = assert_page(page_client("viewer").get(f"/devices?{query}"), 422)
    assert message in unescape(html)
    assert names(html) == []
    if field != "sort":
        assert f'id="f-{field}-error"' in html


def test_bad_page_numbers_are_refused(fleet: None, page_client: Callable[..., PageClient]) -> None:
    client = page_client("viewer")
    for query in ("page=0", "page=x", f"q={'x' * 300}"):
        assert client.get(f"/devices?{query}").status_code == 422


def test_empty_inventory_says_what_to_do(page_client: Callable[..., PageClient]) -> None:
    assert_page(
        page_client("operator").get("/devices"), 200, "There are no devices yet", 'href="/devices/import"'
    )
    html = assert_page(page_client("viewer").get("/devices"), 200, "an operator adds them")
    assert 'href="/devices/import"' not in html


def test_back_up_the_selection_now_queues_a_run_and_goes_to_its_page(
    fleet: None, page_client: Callable[..., PageClient], engine: Engine
) -> None:
    operator = page_client("operator")
    response = operator.post_form("/devices/run", {"device": ["r001", "r002"]})
    assert response.status_code == 303, response.text[:500]
    with Session(engine) as session:
        run = session.query(JobRun).one()
    assert response.headers["location"] == f"/runs/{run.id}"
    assert (run.job_type, run.triggered_by, run.targets["devices"]) == (
        "backup",
        "operator",
        ["r001", "r002"],
    )


def test_back_up_refuses_nothing_selected_an_unknown_device_a_viewer_and_no_csrf(
    fleet: None, page_client: Callable[..., PageClient], engine: Engine
) -> None:
    operator = page_client("operator")
    assert_page(operator.post_form("/devices/run", {}), 422, "select the devices to back up")
    html = assert_page(operator.post_form("/devices/run", {"device": ["nope"]}), 422)
    assert "nope" in html
    assert operator.post_form("/devices/run", {"device": ["r001"]}, csrf=False).status_code == 403
    assert page_client("viewer").post_form("/devices/run", {"device": ["r001"]}).status_code == 403
    assert count(engine, JobRun) == 0
