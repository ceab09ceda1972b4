"""The issue's "Done when", end to end in Chromium against ``netraven serve``, a real ``netraven
worker`` and simulated devices over SSH on loopback: an admin logs in, imports the devices from a
file, adds a credential, runs a backup from the devices page and watches its live progress reach
the end; a device's config changes, a second backup sees it, and the diff of the two versions
shows the changed lines; a scheduled job is created with the schedule preview; a viewer sees no
admin page nor action button; both log out. Then every page, on this real data, at 1280 and
390 px: screenshots, nothing scrolling sideways, every field labelled, no browser error.

The steps share one server, worker, fleet and browser page, in order (each test needs the last).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Device, DeviceConfiguration, Job, JobRun
from netraven.simulator.process import FleetProcess
from tests.browser.conftest import (
    PASSWORD,
    LiveServer,
    assert_fields_labelled,
    assert_no_console_errors,
    assert_no_horizontal_scroll,
)
from tests.scheduler.workers import Worker

WAIT = 60_000  # ms: a shared CI machine, the first page of a server loads the plugins
RUN_TIMEOUT = 180_000  # ms: a backup of the simulated devices on a loaded machine
CHANGE = ["interface Loopback100", " description changed in the browser journey"]


@pytest.fixture(scope="module")
def admin(browser_page: Callable[..., Any]) -> Any:
    """The admin's page: a browser that logs in through the login page (no cookie given)."""
    page = browser_page(None, 1280)
    page.set_default_timeout(WAIT)
    return page


def run_backup_of_every_device(page: Any, live_server: LiveServer, fleet: FleetProcess) -> int:
    """On the devices page, select the fleet, back it up now, and watch the run to its end: its id."""
    page.goto("/devices?tag=lab")
    for device in fleet.devices:
        page.get_by_label(f"Select {device['hostname']}").check()
    page.get_by_role("button", name="Back up the selected devices now").click()
    page.wait_for_url(re.compile(r".*/runs/\d+$"))
    page.evaluate("window.notReloaded = true")
    summary = page.locator("#run-summary")
    summary.locator(".badge.status-succeeded").wait_for(timeout=RUN_TIMEOUT)
    total = len(fleet.devices)
    assert f"{total} of {total} hosts done" in summary.inner_text()
    assert page.evaluate("window.notReloaded") is True  # it changed live (SSE), not by reloading
    return int(page.url.rsplit("/", 1)[1])


def test_1_log_in(admin: Any, live_server: LiveServer, screenshot: Callable[..., Path]) -> None:
    admin.goto("/devices")
    admin.wait_for_url("**/login?next=/devices")
    admin.get_by_label("User name").fill("admin")
    admin.get_by_label("Password").fill(PASSWORD)
    screenshot(admin, "journey-01-login-1280")
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url(f"{live_server.url}/devices")
    assert admin.get_by_role("navigation", name="Main").get_by_text("admin").first.is_visible()


def test_2_import_the_devices_from_a_file(
    admin: Any,
    live_fleet: FleetProcess,
    live_server: LiveServer,
    tmp_path: Path,
    screenshot: Callable[..., Path],
) -> None:
    rows = [f"{d['hostname']},{d['host']},{d['port']},{d['platform']}" for d in live_fleet.devices]
    devices = tmp_path / "lab.csv"
    devices.write_text("hostname,host,port,platform\n" + "\n".join(rows) + "\n")
    admin.goto("/devices")
    admin.get_by_role("button", name="Import a file").first.click()
    admin.wait_for_url("**/devices/import")
    admin.get_by_label("Device file").set_input_files(str(devices))
    admin.get_by_label("Tags for every device").fill("lab")
    admin.get_by_role("button", name="Import").click()
    admin.get_by_text(f"Imported {len(rows)} devices").wait_for()
    screenshot(admin, "journey-02-imported-1280")
    admin.goto("/devices?tag=lab")
    assert sorted(admin.locator("tbody th[scope=row]").all_inner_texts()) == sorted(
        d["hostname"] for d in live_fleet.devices
    )
    with Session(live_server.engine) as session:
        assert session.scalar(select(func.count()).select_from(Device)) == len(rows)


def test_3_add_a_credential(admin: Any, live_fleet: FleetProcess, live_server: LiveServer) -> None:
    login = live_fleet.credentials[0]
    admin.goto("/admin/credentials/new")
    assert_fields_labelled(admin)
    admin.locator("#f-name").fill("lab-login")
    admin.locator("#f-username").fill(login["username"])
    admin.locator("#f-password").fill(login["password"])
    admin.locator("#f-enable_secret").fill(live_fleet.description["secret"])
    admin.locator("#f-tags").fill("lab")
    admin.get_by_role("button", name="Add credential").click()
    admin.wait_for_url("**/admin/credentials")
    assert "lab-login" in admin.get_by_role("row").filter(has_text="lab-login").inner_text()
    assert login["password"] not in admin.content()


def test_4_run_a_backup_and_watch_it_to_the_end(
    admin: Any,
    live_server: LiveServer,
    live_fleet: FleetProcess,
    live_worker: Worker,
    screenshot: Callable[..., Path],
) -> None:
    run_id = run_backup_of_every_device(admin, live_server, live_fleet)
    assert_no_console_errors(admin)
    screenshot(admin, "journey-04-run-1280")
    with Session(live_server.engine) as session:
        run = session.get(JobRun, run_id)
        assert run is not None, live_worker.log()
        assert (run.status, run.triggered_by, run.hosts_succeeded) == (
            "succeeded",
            "admin",
            len(live_fleet.devices),
        )


def test_5_a_change_is_backed_up_and_its_diff_shows_the_changed_lines(
    admin: Any,
    live_server: LiveServer,
    live_fleet: FleetProcess,
    live_worker: Worker,
    screenshot: Callable[..., Path],
) -> None:
    device = next(d for d in live_fleet.devices if d["platform"] == "cisco_ios")["hostname"]
    live_fleet.configure(device, CHANGE)
    run_backup_of_every_device(admin, live_server, live_fleet)
    with Session(live_server.engine) as session:
        versions = session.scalar(
            select(func.count())
            .select_from(DeviceConfiguration)
            .join(Device)
            .where(Device.hostname == device)
        )
    assert versions == 2
    admin.goto(f"/devices/{device}")
    admin.get_by_label("Compare from v1").check()
    admin.get_by_label("Compare to v2").check()
    admin.get_by_role("button", name="Compare the two versions").click()
    admin.wait_for_url(lambda url: f"/devices/{device}/diff?" in url)
    added = [
        text.removeprefix("added:").strip() for text in admin.locator("table.diff td.ins").all_inner_texts()
    ]
    assert "interface Loopback100" in added and "description changed in the browser journey" in added
    assert admin.locator("table.diff td.del").count() == 0  # only lines added
    assert live_fleet.description["secret"] not in admin.content()
    screenshot(admin, "journey-05-diff-1280")


def test_6_create_a_scheduled_job_with_the_preview(
    admin: Any, live_server: LiveServer, screenshot: Callable[..., Path]
) -> None:
    admin.goto("/jobs/new")
    admin.locator("#f-name").fill("nightly-lab")
    admin.locator("#f-tags").fill("lab")
    admin.locator("#f-type").select_option("daily")
    admin.locator("#f-time_of_day").fill("02:30")
    shown = "[...document.querySelectorAll('#schedule-preview li')].filter(li => li.textContent.includes('02:30'))"
    admin.wait_for_function(f"{shown}.length === 5", timeout=10_000)  # the 02:00 default's preview went first
    times = admin.locator("#schedule-preview li").all_inner_texts()
    assert len(times) == 5 and all("02:30" in time for time in times), times
    screenshot(admin, "journey-06-job-preview-1280")
    admin.get_by_role("button", name="Create job").click()
    admin.wait_for_url(re.compile(r".*/jobs/\d+$"))
    assert admin.get_by_role("heading", name=re.compile("nightly-lab")).is_visible()
    with Session(live_server.engine) as session:
        job = session.scalar(select(Job).where(Job.name == "nightly-lab"))
        assert job is not None and job.schedule_type == "daily" and job.next_run_at is not None


def test_7_a_viewer_sees_no_admin_page_nor_action(
    browser_page: Callable[..., Any], live_fleet: FleetProcess, screenshot: Callable[..., Path]
) -> None:
    viewer = browser_page("viewer", 1280)
    viewer.set_default_timeout(WAIT)
    viewer.goto("/")
    nav = viewer.get_by_role("navigation", name="Main")
    for name in ("Users", "Credentials", "Audit"):
        assert nav.get_by_role("link", name=name, exact=True).count() == 0
    for path in ("/admin/users", "/admin/credentials", "/admin/audit", "/devices/new", "/jobs/new"):
        response = viewer.goto(path)
        assert response is not None and response.status == 403, path
    viewer.goto("/devices")
    assert viewer.get_by_role("button", name="Back up the selected devices now").count() == 0
    assert viewer.locator("input[type=checkbox]").count() == 0
    viewer.goto(f"/devices/{live_fleet.devices[0]['hostname']}")
    assert viewer.get_by_role("button", name="Back up now").count() == 0
    viewer.goto("/jobs")
    assert viewer.get_by_text("New job").count() == 0
    screenshot(viewer, "journey-07-viewer-jobs-1280")


def test_8_log_out(admin: Any, browser_page: Callable[..., Any], live_server: LiveServer) -> None:
    for page in (admin, browser_page("viewer", 1280)):
        page.goto("/")
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{live_server.url}/login?logged_out=1")
        page.goto("/runs")
        page.wait_for_url("**/login?next=/runs")


def every_page(live_server: LiveServer) -> dict[str, str]:
    """name -> URL of every page, on the journey's data."""
    with Session(live_server.engine) as session:
        device = session.scalar(
            select(Device.hostname)
            .join(DeviceConfiguration)
            .group_by(Device.hostname)
            .having(func.count() > 1)
        )
        job_id = session.scalar(select(Job.id).order_by(Job.id.desc()).limit(1))
        run_id = session.scalar(select(JobRun.id).order_by(JobRun.id.desc()).limit(1))
    return {
        "dashboard": "/",
        "devices": "/devices",
        "device-new": "/devices/new",
        "devices-import": "/devices/import",
        "device": f"/devices/{device}",
        "device-edit": f"/devices/{device}/edit",
        "device-config": f"/devices/{device}/configs/2",
        "device-diff": f"/devices/{device}/diff?a=1&b=2&mode=side",
        "device-diff-unified": f"/devices/{device}/diff?a=1&b=2&mode=unified",
        "configs-search": "/configs/search?pattern=Loopback100",
        "jobs": "/jobs",
        "job-new": "/jobs/new",
        "job": f"/jobs/{job_id}",
        "job-edit": f"/jobs/{job_id}/edit",
        "runs": "/runs",
        "run": f"/runs/{run_id}",
        "logs": "/logs",
        "users": "/admin/users",
        "tokens": "/admin/tokens",
        "credentials": "/admin/credentials",
        "credential-new": "/admin/credentials/new",
        "audit": "/admin/audit",
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_9_every_page_at_both_widths(
    browser_page: Callable[..., Any], live_server: LiveServer, screenshot: Callable[..., Path], width: int
) -> None:
    page = browser_page("admin", width)
    page.set_default_timeout(WAIT)
    for name, url in every_page(live_server).items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        assert_no_horizontal_scroll(page)
        assert_fields_labelled(page)
        assert_no_console_errors(page)
        screenshot(page, f"page-{name}-{width}")
