"""The jobs pages on SQLite and PostgreSQL: the list with schedule and next run, the form with its
schedule preview, enable/disable, run now (queued, then the run's page), delete; roles; bad input
in every field shown next to it with nothing stored; the audit rows the forms leave."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, Job, JobRun
from netraven.inventory import add_device
from tests.web.conftest import count
from tests.web.pages.conftest import PageClient, assert_page

GOOD = {
    "name": "nightly-core", "job_type": "backup", "tags": "core", "devices": "", "type": "cron",
    "cron_expression": "0 2 * * *", "priority": "5", "parameters": "", "enabled": "1",
}  # fmt: skip


@pytest.fixture
def fleet(engine: Engine) -> Engine:
    with Session(engine) as session, session.begin():
        for n in range(2):
            add_device(session, f"r{n}", f"192.0.2.{n + 1}", "cisco_ios", tags=["core"])
    return engine


def audit_rows(engine: Engine, action: str) -> list[tuple[str, str, str | None]]:
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        return [(row.actor_name, row.outcome, row.object_id) for row in rows]


def job_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        found = session.scalar(select(Job.id).where(Job.name == name))
        assert found is not None
        return found


def test_an_operator_creates_a_scheduled_job_and_sees_it_listed(
    page_client: Callable[..., PageClient], fleet: Engine
) -> None:
    operator = page_client("operator")
    form = assert_page(operator.get("/jobs/new"), 200, "New job", 'name="cron_expression"', "Next runs")
    assert 'for="f-name"' in form and "/jobs/schedule-preview" in form
    response = operator.post_form("/jobs/new", GOOD)
    assert response.status_code == 303, response.text[:2000]
    new_id = job_id(fleet, "nightly-core")
    assert response.headers["location"] == f"/jobs/{new_id}"
    detail = assert_page(operator.get(f"/jobs/{new_id}"), 200, "nightly-core", "cron 0 2 * * *", "tags core")
    assert len(re.findall(r"<li><time datetime=", detail)) == 5  # the next five runs
    listing = assert_page(operator.get("/jobs"), 200, "nightly-core", "cron 0 2 * * *", "tags core")
    assert 'href="/jobs/new"' in listing
    assert audit_rows(fleet, "job.create") == [("operator", "succeeded", str(new_id))]


def test_the_schedule_preview_shows_run_times_or_the_error_next_to_the_field(
    page_client: Callable[..., PageClient],
) -> None:
    viewer = page_client("viewer")
    good = viewer.get("/jobs/schedule-preview", params={"type": "weekly", "time_of_day": "03:30",
                                                        "days_of_week": ["mon", "thu"]})  # fmt: skip
    text = assert_page(good, 200, "Weekly on mon, thu at 03:30", "Next runs")
    assert len(re.findall(r"<li><time", text)) == 5 and "<html" not in text
    bad = viewer.get("/jobs/schedule-preview", params={"type": "cron", "cron_expression": "61 * * * *"})
    text = assert_page(bad, 200, 'id="err-cron_expression"', "bad cron expression")
    slot = re.search(r'<small id="err-cron_expression"[^>]*hx-swap-oob="true">([^<]*)</small>', text)
    assert slot and "bad cron expression" in slot.group(1)
    # A field the type does not use (hidden in the form) is not held against it.
    daily = viewer.get("/jobs/schedule-preview", params={"type": "daily", "time_of_day": "02:00",
                                                         "cron_expression": "junk"})  # fmt: skip
    assert_page(daily, 200, "Daily at 02:00")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "job name is empty"),
        ({"name": "x" * 256}, "name", "longer than 255 characters"),
        ({"name": "42"}, "name", "must not be a number"),
        ({"name": "taken"}, "name", "already exists"),
        ({"job_type": "bakup"}, "job_type", "unknown job type"),
        ({"tags": "nope"}, "tags", "no tag named"),
        ({"tags": ""}, "targets", "has no targets"),
        ({"cron_expression": "61 * * * *"}, "cron_expression", "bad cron expression"),
        ({"type": "daily", "time_of_day": "25:00"}, "time_of_day", "is not a time"),
        ({"type": "fortnightly"}, "type", "Input should be"),
        ({"priority": "high"}, "priority", "valid integer"),
        ({"parameters": "retries"}, "parameters", "expected NAME=VALUE"),
        ({"parameters": "enable=maybe"}, "parameters", "expected true or false"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_stores_nothing(
    page_client: Callable[..., PageClient], fleet: Engine, changes: dict[str, str], field: str, message: str
) -> None:
    operator = page_client("operator")
    assert operator.post_form("/jobs/new", {**GOOD, "name": "taken"}).status_code == 303
    before = count(fleet, Job)
    response = operator.post_form("/jobs/new", {**GOOD, **changes})
    text = assert_page(response, 422)
    error = re.search(rf'id="(?:f-{field}-error|err-{field})"[^>]*>([^<]*)<', text.split("<form", 1)[1])
    assert error and message in error.group(1), (field, text[:3000])
    assert count(fleet, Job) == before
    assert audit_rows(fleet, "job.create")[-1][:2] == ("operator", "failed")
    if "name" in changes and changes["name"] != "x" * 256:
        assert f'value="{changes["name"]}"' in text  # the submitted values are kept


def test_editing_changes_the_job_and_a_refused_edit_changes_nothing(
    page_client: Callable[..., PageClient], fleet: Engine
) -> None:
    operator = page_client("operator")
    operator.post_form("/jobs/new", GOOD)
    new_id = job_id(fleet, "nightly-core")
    form = assert_page(operator.get(f"/jobs/{new_id}/edit"), 200, 'value="nightly-core"', 'value="0 2 * * *"')
    assert "a job keeps its type" in form
    refused = operator.post_form(f"/jobs/{new_id}/edit", {**GOOD, "name": "renamed", "priority": "x"})
    assert_page(refused, 422, "valid integer")
    with Session(fleet) as session:
        job = session.get(Job, new_id)
        assert job is not None and (job.name, job.priority) == ("nightly-core", 5)
    changed = operator.post_form(f"/jobs/{new_id}/edit", {**GOOD, "name": "renamed", "type": "daily",
                                                           "time_of_day": "04:15", "devices": "r1", "tags": ""})  # fmt: skip
    assert changed.status_code == 303
    assert_page(operator.get(f"/jobs/{new_id}"), 200, "renamed", "daily at 04:15", "devices r1")
    assert [row[1] for row in audit_rows(fleet, "job.edit")] == ["failed", "succeeded"]


def test_enable_disable_run_now_and_delete(page_client: Callable[..., PageClient], fleet: Engine) -> None:
    operator = page_client("operator")
    operator.post_form("/jobs/new", GOOD)
    new_id = job_id(fleet, "nightly-core")
    assert operator.post_form(f"/jobs/{new_id}/disable").status_code == 303
    assert_page(operator.get(f"/jobs/{new_id}"), 200, "disabled", "Enable")
    assert_page(operator.get("/jobs", params={"enabled": "no"}), 200, "nightly-core")
    assert "nightly-core" not in operator.get("/jobs", params={"enabled": "yes"}).text
    assert operator.post_form(f"/jobs/{new_id}/enable").status_code == 303
    ran = operator.post_form(f"/jobs/{new_id}/run")
    assert ran.status_code == 303 and ran.headers["location"].startswith("/runs/")
    with Session(fleet) as session:
        run = session.scalar(select(JobRun).where(JobRun.job_id == new_id))
        assert run is not None and (run.status, run.triggered_by) == ("queued", "operator")
    assert ran.headers["location"] == f"/runs/{run.id}"
    again = operator.post_form(f"/jobs/{new_id}/run")  # one run at a time
    assert_page(again, 400, "already has run")
    assert count(fleet, JobRun) == 1
    assert operator.post_form(f"/jobs/{new_id}/delete").status_code == 303
    assert count(fleet, Job) == 0
    actions = {row.action for row in _audit(fleet)}
    assert {"job.create", "job.disable", "job.enable", "run.start", "job.remove"} <= actions


def _audit(engine: Engine) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry)))


def test_a_viewer_sees_jobs_but_no_action_and_is_refused_them(
    page_client: Callable[..., PageClient], fleet: Engine
) -> None:
    page_client("operator").post_form("/jobs/new", GOOD)
    new_id = job_id(fleet, "nightly-core")
    viewer = page_client("viewer")
    listing = assert_page(viewer.get("/jobs"), 200, "nightly-core")
    assert 'href="/jobs/new"' not in listing
    detail = assert_page(viewer.get(f"/jobs/{new_id}"), 200, "nightly-core")
    assert "Run now" not in detail and "/edit" not in detail and "Disable" not in detail
    for url in ("/jobs/new", f"/jobs/{new_id}/edit"):
        assert_page(viewer.get(url), 403)
    for url in (f"/jobs/{new_id}/run", f"/jobs/{new_id}/disable", f"/jobs/{new_id}/delete", "/jobs/new"):
        assert_page(viewer.post_form(url, GOOD), 403)
    assert count(fleet, JobRun) == 0 and count(fleet, Job) == 1


def test_empty_states_say_what_to_do(page_client: Callable[..., PageClient]) -> None:
    assert_page(page_client("operator").get("/jobs"), 200, "No job yet", 'href="/jobs/new"')
    assert_page(page_client("viewer").get("/jobs"), 200, "An operator creates jobs")
    assert_page(page_client("admin").get("/jobs", params={"q": "zzz"}), 200, "No job matches")
    assert_page(page_client("admin", "a2").get("/jobs/999999"), 404)
