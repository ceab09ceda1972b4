"""``/``: the dashboard's figures, last runs, chart data and health; a new install's next steps,
with the links each role may follow."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven.db.base import utcnow
from netraven.db.models import JobResult, JobRun
from netraven.inventory import add_device
from tests.web.pages.conftest import PageClient, assert_page


def test_a_new_install_says_what_to_do_next(page_client: Callable[..., PageClient]) -> None:
    html = assert_page(
        page_client("admin").get("/"), 200, "Get started", "Add your devices", "Add a credential"
    )
    assert 'href="/devices/new"' in html and 'href="/devices/import"' in html
    assert 'href="/admin/credentials"' in html
    assert "No run yet" in html
    assert "none seen yet" in html and "netraven worker" in html  # no worker has run anything
    viewer = assert_page(
        page_client("viewer").get("/"), 200, "Get started", "an operator or an admin does these"
    )
    assert 'href="/devices/new"' not in viewer and 'href="/admin/credentials"' not in viewer


def test_the_figures_runs_and_chart_of_a_fleet(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    now = utcnow()
    with Session(engine) as session, session.begin():
        r1 = add_device(session, "core-r1", "10.0.0.1", "cisco_ios")
        r2 = add_device(session, "core-r2", "10.0.0.2", "cisco_ios")
        r1.last_backup_at, r1.last_backup_status = now, "success"
        session.flush()
        run = JobRun(job_type="backup", status="partial", targets={"all": True}, triggered_by="alice",
                     hosts_total=2, hosts_succeeded=1, hosts_failed=1, started_at=now)  # fmt: skip
        session.add(run)
        session.flush()
        session.add_all([
            JobResult(run_id=run.id, device_id=r1.id, hostname="core-r1", status="succeeded", completed_at=now, output={}),
            JobResult(run_id=run.id, device_id=r2.id, hostname="core-r2", status="failed", error_kind="timeout",
                      completed_at=now - timedelta(seconds=1), output={}),
        ])  # fmt: skip
        run_id = run.id
    html = assert_page(page_client("viewer").get("/"), 200, f'href="/runs/{run_id}"', "timeout: 1", "alice")
    assert re.search(r'<span class="figure">2</span>\s*<a href="/devices">devices</a>', html)
    assert re.search(r'<span class="figure">1</span>\s*<a href="/devices\?status=success">', html)
    assert 'class="badge status-partial"' in html
    assert "1 ok, " in html and "1 failed</span> of 2" in html
    chart = json.loads(
        re.search(r'<script type="application/json" id="activity-data">(.*?)</script>', html, re.S).group(1)
    )  # type: ignore[union-attr]
    assert len(chart["days"]) == 30 and chart["days"][-1] == now.date().isoformat()
    assert chart["backups"][-1] == 1 and sum(chart["backups"]) == 1
    assert "Add your devices" not in html  # done already


def test_the_dashboard_needs_a_login(page_client: Callable[..., PageClient]) -> None:
    assert page_client(None).get("/").headers["location"] == "/login"
