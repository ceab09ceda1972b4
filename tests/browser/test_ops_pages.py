"""The operations pages in Chromium against ``netraven serve`` (and, for a run, a real ``netraven
worker`` with simulated devices over SSH on loopback): a viewer sees no admin page or action; an
admin adds a credential; an operator creates a scheduled job with the schedule preview, runs it
now and watches its live progress reach the end; every page at 1280 and 390 px, screenshots
saved, nothing scrolling sideways, every field labelled."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.db.models import Credential, Job, JobRun
from netraven.inventory import add_device
from netraven.jobs import Schedule, create_job
from netraven.plugins import create_plugin_manager
from netraven.simulator.process import FleetProcess
from tests.browser.conftest import LiveServer, assert_fields_labelled, assert_no_horizontal_scroll
from tests.inventory_plugin.conftest import load_fleet
from tests.scheduler.workers import FAST, Worker

WAIT = 60_000  # ms: the first page of a server loads the plugins; CI machines are shared
RUN_TIMEOUT = 120_000  # ms: a backup of three simulated devices on a loaded machine
SECRET = "Browser-Secret-42"


def slow_tolerant(page: Any) -> Any:
    page.set_default_timeout(WAIT)
    return page


def test_a_viewer_sees_no_admin_page_nor_action(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], live_server: LiveServer
) -> None:
    page = slow_tolerant(browser_page("viewer", 1280))
    page.goto("/jobs")
    assert page.get_by_role("heading", name="Jobs").is_visible()
    assert (
        page.get_by_role("button", name="New job").count() == 0 and page.get_by_text("New job").count() == 0
    )
    for name in ("Users", "Credentials", "Audit"):
        assert page.get_by_role("link", name=name, exact=True).count() == 0
    assert page.get_by_role("link", name="API tokens").is_visible()  # their own tokens
    response = page.goto("/admin/credentials")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="Forbidden").is_visible()
    screenshot(page, "ops-viewer-403-1280")
    response = page.goto("/jobs/new")
    assert response is not None and response.status == 403


def test_an_admin_adds_a_credential_and_never_sees_its_secret(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], live_server: LiveServer
) -> None:
    page = slow_tolerant(browser_page("admin", 1280))
    page.goto("/admin/credentials")
    page.get_by_role("button", name="Add a credential").first.click()
    page.wait_for_url("**/admin/credentials/new")
    assert_fields_labelled(page)
    page.locator("#f-username").fill("netops")
    page.locator("#f-password").fill(SECRET)
    page.get_by_role("button", name="Add credential").click()  # no name: refused, said next to it
    page.wait_for_load_state()
    assert page.locator("#f-name-error").inner_text() == "credential name is empty"
    assert SECRET not in page.content() and page.locator("#f-password").input_value() == ""
    screenshot(page, "ops-credential-refused-1280")
    page.locator("#f-name").fill("core-ops")
    page.locator("#f-username").fill("netops")
    page.locator("#f-password").fill(SECRET)
    page.locator("#f-priority").fill("20")
    page.locator("#f-tags").fill("core")
    page.get_by_role("button", name="Add credential").click()
    page.wait_for_url("**/admin/credentials")
    row = page.get_by_role("row").filter(has_text="core-ops")
    assert "netops" in row.inner_text() and "20" in row.inner_text()
    assert SECRET not in page.content()
    with Session(live_server.engine) as session:
        assert session.scalar(select(Credential.name).where(Credential.name == "core-ops")) == "core-ops"


def test_an_operator_creates_a_scheduled_job_with_the_preview(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], live_server: LiveServer
) -> None:
    with Session(live_server.engine) as session, session.begin():
        add_device(session, "core-1", "192.0.2.10", "cisco_ios", tags=["core"])
    page = slow_tolerant(browser_page("operator", 1280))
    page.goto("/jobs")
    page.get_by_role("button", name="New job").first.click()
    page.wait_for_url("**/jobs/new")
    page.locator("#f-name").fill("weekday-backup")
    page.locator("#f-tags").fill("core")
    page.locator("#f-type").select_option("cron")
    cron = page.locator("#f-cron_expression")
    assert cron.is_visible() and not page.locator("#f-time_of_day").is_visible()
    cron.fill("61 * * * *")
    error = page.locator("#err-cron_expression")
    error.filter(has_text="bad cron expression").wait_for()
    assert cron.get_attribute("aria-describedby", timeout=1000).startswith("err-cron_expression")
    screenshot(page, "ops-job-preview-error-1280")
    cron.fill("0 3 * * 1-5")
    page.locator("#schedule-preview li").nth(4).wait_for()
    assert page.locator("#schedule-preview").inner_text().startswith("Cron 0 3 * * 1-5")
    assert error.inner_text() == ""
    times = page.locator("#schedule-preview li").all_inner_texts()
    assert len(times) == 5 and all(" 03:00 " in time for time in times), times
    assert_fields_labelled(page)
    screenshot(page, "ops-job-form-1280")
    page.get_by_role("button", name="Create job").click()
    page.wait_for_url(re.compile(r".*/jobs/\d+$"))
    assert page.get_by_role("heading", name=re.compile("weekday-backup")).is_visible()
    assert page.get_by_text("cron 0 3 * * 1-5").is_visible()
    assert page.locator("ol li time").count() == 5
    page.goto("/jobs")
    assert (
        page.get_by_role("row").filter(has_text="weekday-backup").filter(has_text="cron 0 3 * * 1-5").count()
        == 1
    )


@pytest.fixture
def worker(live_server: LiveServer, tmp_path: Path) -> Iterator[Worker]:
    """A ``netraven worker`` on the server's data directory (its database and SQLite queue)."""
    started = Worker(
        {**live_server.env, **FAST, "NETRAVEN_SCHEDULER__TICK_SECONDS": "2"}, tmp_path / "worker.log", ()
    )
    try:
        yield started
    finally:
        started.kill()


def test_run_now_shows_live_progress_to_the_end(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], live_server: LiveServer,
    simulated_fleet: Callable[..., FleetProcess], worker: Worker,
) -> None:  # fmt: skip
    fleet = simulated_fleet(3)
    load_fleet(
        live_server.engine,
        live_server.settings,
        fleet.devices,
        fleet.credentials,
        fleet.description["secret"],
    )
    with Session(live_server.engine) as session, session.begin():
        job = create_job(session, name="lab-backup", job_type="backup", job_types=create_plugin_manager().job_types,
                         tags=["lab"], schedule=Schedule("daily", time_of_day="02:00"))  # fmt: skip
        session.flush()
        job_id = job.id
    page = slow_tolerant(browser_page("operator", 1280))
    page.goto(f"/jobs/{job_id}")
    page.get_by_role("button", name="Run now").click()
    page.wait_for_url(re.compile(r".*/runs/\d+$"))
    page.evaluate("window.__notReloaded = true")
    assert page.locator("[sse-connect]").count() == 1
    summary = page.locator("#run-summary")
    summary.locator(".badge.status-succeeded").wait_for(timeout=RUN_TIMEOUT)
    rows = page.locator("#hosts tr")
    assert rows.count() == 3, worker.log()
    assert sorted(rows.locator("th").all_inner_texts()) == sorted(d["hostname"] for d in fleet.devices)
    assert "3 of 3 hosts done" in summary.inner_text()
    assert page.evaluate("window.__notReloaded") is True  # the page changed over SSE, not by reloading
    assert page.get_by_role("button", name="Cancel run").count() == 0  # gone with the run's end
    screenshot(page, "ops-run-live-1280")
    run_id = int(page.url.rsplit("/", 1)[1])
    with Session(live_server.engine) as session:
        run = session.get(JobRun, run_id)
        assert run is not None and (run.status, run.triggered_by, run.hosts_succeeded) == (
            "succeeded",
            "operator",
            3,
        )
    page.reload()
    assert page.locator("[sse-connect]").count() == 0 and page.locator("#hosts tr").count() == 3
    page.locator("#hosts").get_by_role("link", name="logs").first.click()
    page.wait_for_url(re.compile(r".*/logs\?run_id=\d+&device=.*"))
    assert page.locator("#log-lines tr").count() > 0
    assert fleet.credentials[0]["password"] not in page.content()


PAGES = ["/jobs", "/jobs/new", "/runs", "/logs", "/admin/users", "/admin/tokens", "/admin/credentials",
         "/admin/credentials/new", "/admin/audit"]  # fmt: skip


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_at_both_widths(
    browser_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Path],
    live_server: LiveServer,
    width: int,
) -> None:
    with Session(live_server.engine) as session:
        job_id = session.scalar(select(Job.id).order_by(Job.id.desc()).limit(1))
        run_id = session.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1))
    extra = ([f"/jobs/{job_id}", f"/jobs/{job_id}/edit"] if job_id else []) + (
        [f"/runs/{run_id}"] if run_id else []
    )
    page = slow_tolerant(browser_page("admin", width))
    for path in [*PAGES, *extra]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_horizontal_scroll(page)
        assert_fields_labelled(page)
        name = re.sub(r"\d+", "N", path.strip("/").replace("/", "-"))
        screenshot(page, f"ops-{name}-{width}")
