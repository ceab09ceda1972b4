"""The runs and logs pages on SQLite and PostgreSQL: listings with filters and paging, a run's
hosts with their error kind, output and log links, its live stream of HTML events, cancelling
(operators only), the logs' filters with errors next to them, and their live tail's events."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import AuditEntry, JobLog, JobResult, JobRun
from tests.logs.conftest import LINES, Seeded, seed
from tests.web.pages.conftest import PageClient, assert_page


def add_run(engine: Engine, status: str, results: list[tuple[str, str, str | None]], **fields: object) -> int:
    """A run of ``status`` with one result per (hostname, status, error kind)."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        run = JobRun(job_type="backup", status=status, triggered_by="alice", targets={"tags": ["core"]},
                     hosts_total=len(results), started_at=now - timedelta(seconds=12),
                     completed_at=None if status in ("queued", "running") else now, **fields)  # fmt: skip
        session.add(run)
        session.flush()
        for hostname, host_status, kind in results:
            output = {"version": 4, "changed": True} if host_status == "succeeded" else {}
            session.add(JobResult(run_id=run.id, hostname=hostname, status=host_status, error_kind=kind,
                                  message=f"{hostname}: {kind or 'ok'}", output=output, duration_seconds=1.5))  # fmt: skip
        return run.id


def events(text: str) -> list[tuple[str, str]]:
    """(event name, data joined) of a server-sent event stream's text."""
    found = []
    for block in text.strip().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M)
        data = "\n".join(line[6:] for line in block.splitlines() if line.startswith("data: "))
        if name:
            found.append((name.group(1), data))
    return found


def test_runs_are_listed_filtered_and_paged(page_client: Callable[..., PageClient], engine: Engine) -> None:
    viewer = page_client("viewer")
    assert_page(viewer.get("/runs"), 200, "No run yet")
    done = add_run(engine, "partial", [("r1", "succeeded", None), ("r2", "failed", "auth")])
    queued = add_run(engine, "queued", [])
    listing = assert_page(
        viewer.get("/runs"), 200, f'href="/runs/{done}"', f'href="/runs/{queued}"', "12.0 s"
    )
    assert listing.index(f"/runs/{queued}") < listing.index(f"/runs/{done}")  # newest first
    only = assert_page(viewer.get("/runs", params={"status": "partial"}), 200, f"/runs/{done}")
    assert f'/runs/{queued}"' not in only
    assert_page(viewer.get("/runs", params={"triggered_by": "bob"}), 200, "No run matches")
    assert_page(viewer.get("/runs", params={"since": "yesterday"}), 400)  # the domain's one line


def test_a_run_shows_each_host_its_error_kind_output_and_logs(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    run_id = add_run(
        engine, "partial", [("r1", "succeeded", None), ("r2", "failed", "auth"), ("r3", "failed", "timeout")]
    )
    text = assert_page(page_client("viewer").get(f"/runs/{run_id}"), 200, "partial", "auth: 1", "timeout: 1")
    assert 'href="/devices/r1/configs/4">version 4</a>' in text
    assert f'href="/logs?run_id={run_id}&amp;device=r2"' in text
    assert "sse-connect" not in text  # an ended run is not followed
    failed = assert_page(
        page_client("operator").get(f"/runs/{run_id}", params={"status": "failed"}), 200, "r2", "r3"
    )
    assert '<th scope="row">r1</th>' not in failed and "Cancel run" not in failed
    assert_page(page_client("admin").get("/runs/999999"), 404)


def test_a_running_run_is_followed_live_and_its_stream_sends_html(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    run_id = add_run(engine, "running", [("r1", "succeeded", None)])
    viewer = page_client("viewer")
    text = assert_page(
        viewer.get(f"/runs/{run_id}"), 200, "sse-connect", 'sse-swap="host"', 'sse-close="end"'
    )
    assert "Cancel run" not in text
    after = int(re.search(r"/live\?after=(\d+)", text).group(1))  # type: ignore[union-attr]
    add = add_run(engine, "queued", [])  # another run's results are not this one's
    with Session(engine) as session, session.begin():
        session.add(JobResult(run_id=run_id, hostname="r2", status="failed", error_kind="timeout", output={}))
        run = session.get(JobRun, run_id)
        assert run is not None and add
        run.status, run.hosts_failed = "partial", 1
    stream = viewer.get(f"/runs/{run_id}/live", params={"after": after})
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    sent = events(stream.text)
    assert [name for name, _ in sent] == ["host", "end"]
    assert '<th scope="row">r2</th>' in sent[0][1] and "timeout" in sent[0][1] and "r1" not in sent[0][1]
    assert "partial" in sent[1][1] and "timeout: 1" in sent[1][1]
    again = viewer.get(f"/runs/{run_id}/live", headers={"Last-Event-ID": str(after + 10**6)})
    assert [name for name, _ in events(again.text)] == ["end"]  # nothing after that id


def test_operators_cancel_a_run_viewers_cannot(
    page_client: Callable[..., PageClient], engine: Engine
) -> None:
    run_id = add_run(engine, "queued", [])
    assert_page(page_client("viewer").post_form(f"/runs/{run_id}/cancel"), 403)
    operator = page_client("operator")
    assert "Cancel run" in operator.get(f"/runs/{run_id}").text
    assert operator.post_form(f"/runs/{run_id}/cancel").status_code == 303
    assert_page(operator.get(f"/runs/{run_id}"), 200, "cancelled by operator")
    again = assert_page(operator.post_form(f"/runs/{run_id}/cancel"), 400, "has ended")
    assert "Cancel run" not in again
    with Session(engine) as session:
        rows = session.scalars(select(AuditEntry.outcome).where(AuditEntry.action == "run.cancel"))
        assert list(rows) == ["failed", "succeeded", "failed"]  # the viewer's refusal first


@pytest.fixture
def logged(engine: Engine) -> Seeded:
    with Session(engine) as session, session.begin():
        return seed(session)


def test_logs_are_filtered_paged_and_masked_as_stored(
    page_client: Callable[..., PageClient], logged: Seeded
) -> None:
    viewer = page_client("viewer")
    everything = assert_page(viewer.get("/logs"), 200, *(line[4] for line in LINES[:3]))
    assert everything.index(LINES[0][4]) < everything.index(LINES[9][4])  # oldest of the page first
    assert "[bold]disk[/bold] full" in everything  # shown as text, not markup
    warnings = assert_page(viewer.get("/logs", params={"level": "warning", "device": "r2"}), 200, LINES[2][4])
    assert LINES[0][4] not in warnings and LINES[9][4] not in warnings
    text = assert_page(viewer.get("/logs", params={"text": "AUTHENTICATION"}), 200, LINES[2][4], LINES[3][4])
    assert LINES[0][4] not in text
    run = assert_page(viewer.get("/logs", params={"run_id": logged.runs[1]}), 200, LINES[4][4], LINES[5][4])
    assert LINES[0][4] not in run
    assert_page(viewer.get("/logs", params={"since": "1h"}), 200, "No log line matches")


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"run_id": "abc"}, "run_id", "expected a run number"),
        ({"level": "LOUD"}, "level", "unknown level"),
        ({"since": "last tuesday"}, "since", "expected a duration ago"),
        ({"until": "soon"}, "until", "expected a duration ago"),
    ],
)
def test_bad_log_filters_are_shown_next_to_their_field(
    page_client: Callable[..., PageClient], logged: Seeded, params: dict[str, str], field: str, message: str
) -> None:
    text = assert_page(page_client("viewer").get("/logs", params=params), 422)
    found = re.search(rf'id="f-{field}-error"[^>]*>([^<]*)<', text)
    assert found and message in found.group(1)


def test_an_unknown_device_is_said_and_the_live_tail_sends_new_rows(
    page_client: Callable[..., PageClient], logged: Seeded, engine: Engine
) -> None:
    viewer = page_client("viewer")
    assert_page(viewer.get("/logs", params={"device": "ghost"}), 422, "no device")
    page = assert_page(
        viewer.get("/logs", params={"device": "r1", "live": "1"}), 200, "sse-connect", "Stop following"
    )
    url = re.search(r'sse-connect="([^"]+)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert "device=r1" in url
    with Session(engine) as session, session.begin():
        session.add(JobLog(level="ERROR", category="backup", message="r1: <script>x</script> new line",
                           device_id=logged.devices["r1"], run_id=logged.runs[0], timestamp=datetime.now(UTC)))  # fmt: skip
        session.add(JobLog(level="ERROR", category="backup", message="r2: not followed",
                           device_id=logged.devices["r2"], run_id=logged.runs[0], timestamp=datetime.now(UTC)))  # fmt: skip
    import netraven.web.api.events as api_events

    api_events.MAX_STREAM_SECONDS, saved = 2.5, api_events.MAX_STREAM_SECONDS
    try:
        sent = events(viewer.get(url).text)
    finally:
        api_events.MAX_STREAM_SECONDS = saved
    assert [name for name, _ in sent] == ["log"]
    assert "&lt;script&gt;x&lt;/script&gt; new line" in sent[0][1] and "<script>" not in sent[0][1]
