"""A device's page, its config versions and their diffs: masked unless an admin asks (audited),
paged timeline and run history, transcripts; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import inventory
from netraven.configs import ConfigStore
from netraven.db.models import AuditEntry, ConnectionLog, Credential, JobResult, JobRun
from netraven.settings import Settings
from tests.web.pages.conftest import PageClient, assert_page

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SECRET = "$1$abc$HASHHASHHASH"


def config(n: int) -> str:
    return (f"hostname r1\nenable secret 5 {SECRET}\ninterface Gi1\n description uplink {n}\n"
            f" ip address 10.0.0.1 255.255.255.0\n!\nsnmp-server community c0mmun1ty RO\nend\n")  # fmt: skip


@pytest.fixture
def r1(engine: Engine, web_settings: Settings) -> int:
    """Device r1 with 25 versions, a credential that worked, 12 runs and a transcript in the last."""
    store = ConfigStore(web_settings)
    with Session(engine) as session, session.begin():
        device = inventory.add_device(
            session, "r1", "10.0.0.1", "cisco_ios", tags=["core"], description="Core"
        )
        session.flush()
        for n in range(25):
            store.save(session, device.id, config(n), "cisco_ios", retrieved_at=T0 + timedelta(hours=n))
        credential = Credential(name="lab-admin", username="admin", password_encrypted=b"x")
        session.add(credential)
        session.flush()
        device.last_credential_id = credential.id
        for n in range(12):
            run = JobRun(job_type="backup", status="succeeded")
            session.add(run)
            session.flush()
            session.add(JobResult(run_id=run.id, device_id=device.id, hostname="r1", status="succeeded",
                                  completed_at=T0 + timedelta(days=n), output={}))  # fmt: skip
        session.add(ConnectionLog(run_id=run.id, device_id=device.id, hostname="r1",
                                  transcript=f"r1#show run\nenable secret 5 {SECRET}\n"))  # fmt: skip
        return device.id


def test_the_device_page_shows_facts_timeline_runs_and_masked_transcripts(
    r1: int, page_client: Callable[..., PageClient]
) -> None:
    html = assert_page(
        page_client("viewer").get("/devices/r1"), 200, "10.0.0.1:22", "cisco_ios", "lab-admin", "Core"
    )
    assert re.findall(r'href="/devices/r1/configs/(\d+)">v', html)[:2] == ["25", "24"]
    assert len(re.findall(r'name="a" value=', html)) == 20
    assert 'name="a" value="24" id="a-24" aria-label="Compare from v24" checked' in html
    assert 'value="25" id="b-25" aria-label="Compare to v25" checked' in html
    assert "Page 1 of 2" in html and len(re.findall(r'<a href="/runs/\d+">#', html)) == 10
    assert "Run #" in html and "r1#show run" in html and SECRET not in html and "HASH" not in html
    assert "Back up now" not in html and "/devices/r1/edit" not in html
    older = page_client("viewer", "v2").get("/devices/r1?versions=2&runs=2").text
    assert re.findall(r'href="/devices/r1/configs/(\d+)">v', older) == ["5", "4", "3", "2", "1"]
    assert len(re.findall(r'<a href="/runs/\d+">#', older)) == 2
    assert "Back up now" in page_client("operator").get("/devices/r1").text


def test_the_device_page_shows_the_facts_once_read(
    r1: int, page_client: Callable[..., PageClient], engine: Engine
) -> None:
    assert "OS version" not in page_client("viewer").get("/devices/r1").text
    with Session(engine) as session, session.begin():
        inventory.record_facts(
            session, r1, {"os_version": "15.9(3)M6", "model": "C9300-48P", "serial": "FOC1"}
        )
    assert_page(
        page_client("viewer", "v2").get("/devices/r1"), 200, "OS version", "15.9(3)M6", "C9300-48P", "FOC1"
    )


def test_unknown_device_and_bad_pages(r1: int, page_client: Callable[..., PageClient]) -> None:
    viewer = page_client("viewer")
    assert_page(viewer.get("/devices/nope"), 404, "no device named")
    for url in ("/devices/r1?versions=0", "/devices/r1?runs=x", "/devices/r1/configs/0", "/devices/r1/diff?mode=x",
                "/devices/r1/diff?a=-1", "/devices/r1/diff?context=101"):  # fmt: skip
        assert viewer.get(url).status_code == 422, url
    assert_page(viewer.get("/devices/r1/configs/99"), 404, "no version 99")
    assert_page(viewer.get("/devices/r1/diff?a=1&b=99"), 404, "no version 99")


def test_a_device_without_configs_or_runs_says_so(
    engine: Engine, page_client: Callable[..., PageClient]
) -> None:
    with Session(engine) as session, session.begin():
        inventory.add_device(session, "new-1", "10.0.0.9", "cisco_ios")
    viewer = page_client("viewer")
    assert_page(
        viewer.get("/devices/new-1"), 200, "No config is stored for this device yet", "No run has reached"
    )
    assert_page(viewer.get("/devices/new-1/diff"), 200, "fewer than two stored versions")


def test_a_version_is_masked_and_only_an_admin_reveals_it_audited(
    r1: int, page_client: Callable[..., PageClient], engine: Engine
) -> None:
    viewer, admin = page_client("viewer"), page_client("admin")
    html = assert_page(viewer.get("/devices/r1/configs/3"), 200, "description uplink 2", "Secrets are masked")
    assert SECRET not in html and "c0mmun1ty" not in html and "reveal=1" not in html
    assert (
        'id="L4"' in html
        and 'href="/devices/r1/configs/2"' in html
        and 'href="/devices/r1/configs/4"' in html
    )
    raw = viewer.get("/devices/r1/configs/3?raw=1")
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/plain")
    assert raw.headers["content-disposition"] == 'attachment; filename="r1-v3.cfg"'
    assert "description uplink 2" in raw.text and SECRET not in raw.text
    assert viewer.get("/devices/r1/configs/3?reveal=1").status_code == 403
    assert viewer.get("/devices/r1/configs/3?raw=1&reveal=1").status_code == 403
    masked = admin.get("/devices/r1/configs/3").text
    assert SECRET not in masked and "reveal=1" in masked
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "config.reveal")).all() == []
    shown = assert_page(admin.get("/devices/r1/configs/3?reveal=1"), 200, SECRET, "c0mmun1ty")
    assert "recorded in the audit trail" in shown
    assert SECRET in admin.get("/devices/r1/configs/3?raw=1&reveal=1").text
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "config.reveal")).all()
    assert [(e.actor_name, e.object_id, e.changes) for e in entries] == [
        ("admin", "r1", {"version": 3, "raw": False}),
        ("admin", "r1", {"version": 3, "raw": True}),
    ]


def test_diff_side_by_side_and_unified_highlight_the_changed_lines(
    r1: int, page_client: Callable[..., PageClient]
) -> None:
    viewer = page_client("viewer")
    side = assert_page(
        viewer.get("/devices/r1/diff?a=3&b=5"), 200, "from v3 to v5", "1 line added", "1 removed"
    )
    assert re.search(
        r'<td class="del"><span class="visually-hidden">removed: </span> description uplink 2</td>', side
    )
    assert re.search(
        r'<td class="ins"><span class="visually-hidden">added: </span> description uplink 4</td>', side
    )
    assert SECRET not in side and "HASH" not in side
    unified = viewer.get("/devices/r1/diff?a=3&b=5&mode=unified&context=0").text
    rows = re.findall(r'<tr class="(del|ins|same)">.*?<td>([^<]*)</td>\s*</tr>', unified, re.S)
    assert [(kind, unescape(text)) for kind, text in rows] == [
        ("del", " description uplink 2"),
        ("ins", " description uplink 4"),
    ]
    default = assert_page(viewer.get("/devices/r1/diff"), 200, "from v24 to v25")
    assert "description uplink 24" in default
    assert_page(viewer.get("/devices/r1/diff?a=4&b=4"), 200, "These two versions are the same")


def test_links_follow_the_stored_versions_when_retention_deleted_some(
    r1: int, engine: Engine, page_client: Callable[..., PageClient]
) -> None:
    from sqlalchemy import delete

    from netraven.db.models import DeviceConfiguration as DC

    with Session(engine) as session, session.begin():
        session.execute(delete(DC).where(DC.device_id == r1, DC.version.in_([12, 14, 24])))
    viewer = page_client("viewer")
    html = viewer.get("/devices/r1").text
    assert 'name="a" value="23" id="a-23" aria-label="Compare from v23" checked' in html
    assert 'href="/devices/r1/diff?a=23&amp;b=25"' in html and 'href="/devices/r1/diff?a=11&amp;b=13"' in html
    page = viewer.get("/devices/r1/configs/13").text
    assert 'href="/devices/r1/configs/11" role="button" class="secondary outline" rel="prev"' in page
    assert 'href="/devices/r1/configs/15" role="button" class="secondary outline" rel="next"' in page
    assert 'href="/devices/r1/diff?a=11&amp;b=13"' in page
    diff = viewer.get("/devices/r1/diff?b=13").text
    assert "description uplink 10" in unescape(diff) and "description uplink 12" in unescape(diff)
