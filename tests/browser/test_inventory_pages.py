"""The inventory pages in headless Chromium: import a file and see its bad rows, diff two versions
and see the changed lines, the devices table by keyboard, a viewer without action buttons, and
each page at 1280 and 390 px (screenshots, no sideways scroll, every field labelled)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from netraven import inventory
from netraven.configs import ConfigStore
from tests.browser.conftest import LiveServer, assert_fields_labelled, assert_no_horizontal_scroll

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BAD_CSV = (
    "hostname,host,platform\nbr-1,10.2.0.1,cisco_ios\nbr-2,300.1.1.1,cisco_ios\nbr-3,10.2.0.3,cisco_iso\n"
)
GOOD_CSV = "hostname,host,platform,tags\nbr-1,10.2.0.1,cisco_ios,branch\nbr-2,10.2.0.2,arista_eos,branch\n"


def config(n: int) -> str:
    return (f"hostname edge-1\ninterface Gi1\n description uplink {n}\n ip address 10.0.0.1 255.255.255.0\n!\n"
            f"enable secret 5 $1$abc$HIDDENHASH{n}\nlogging host 192.0.2.{n}\nend\n")  # fmt: skip


@pytest.fixture(scope="module")
def fleet(live_server: LiveServer) -> LiveServer:
    """edge-1 with 4 config versions, and 30 more devices."""
    store = ConfigStore(live_server.settings)
    with Session(live_server.engine) as session, session.begin():
        device = inventory.add_device(session, "edge-1", "10.0.0.1", "cisco_ios", tags=["edge", "site-a"])
        session.flush()
        for n in range(1, 5):
            store.save(session, device.id, config(n), "cisco_ios", retrieved_at=T0 + timedelta(days=n))
        for n in range(30):
            inventory.add_device(session, f"sw-{n:02d}", f"10.1.0.{n + 1}", "cisco_nxos", tags=["access"])
    return live_server


def test_an_operator_imports_a_file_and_sees_every_bad_row(
    fleet: LiveServer, browser_page: Callable[..., Any], screenshot: Callable[..., Path], tmp_path: Path
) -> None:
    page = browser_page("operator", 1280)
    page.goto("/devices")
    page.get_by_role("button", name="Import a file").click()
    page.wait_for_url("**/devices/import")
    bad = tmp_path / "branches.csv"
    bad.write_text(BAD_CSV)
    page.get_by_label("Device file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    problems = page.get_by_role("alert").filter(has_text="Nothing was imported")
    problems.wait_for()
    assert problems.locator("li").all_inner_texts() == [
        "row 2: bad address '300.1.1.1': not a valid IPv4 address",
        "row 3: unknown platform 'cisco_iso' (did you mean cisco_ios?)",
    ]
    assert "2 of 3 rows are invalid" in page.locator("#f-file-error").inner_text()
    assert_fields_labelled(page)
    screenshot(page, "devices-import-bad-rows-1280")
    page.goto("/devices?q=br-")
    assert page.get_by_text("No device matches these filters").is_visible()  # nothing was imported

    good = tmp_path / "branches-fixed.csv"
    good.write_text(GOOD_CSV)
    page.goto("/devices/import")
    page.get_by_label("Device file").set_input_files(str(good))
    page.get_by_label("Tags for every device").fill("imported")
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Imported 2 devices").wait_for()
    page.get_by_role("link", name="See the devices").click()
    page.goto("/devices?tag=imported")
    assert page.locator("tbody th[scope=row]").all_inner_texts() == ["br-1", "br-2"]


def test_diff_two_versions_picked_on_the_timeline_shows_the_changed_lines(
    fleet: LiveServer, browser_page: Callable[..., Any], screenshot: Callable[..., Path]
) -> None:
    page = browser_page("viewer", 1280)
    page.goto("/devices/edge-1")
    assert page.get_by_role("heading", name="Config timeline").is_visible()
    page.get_by_label("Compare from v1").check()
    page.get_by_label("Compare to v3").check()
    page.get_by_role("button", name="Compare the two versions").click()
    page.wait_for_url(lambda url: "/devices/edge-1/diff?" in url and "a=1" in url and "b=3" in url)
    removed = page.locator("table.diff td.del").all_inner_texts()
    added = page.locator("table.diff td.ins").all_inner_texts()
    assert [text.removeprefix("removed:").strip() for text in removed] == [
        "description uplink 1",
        "logging host 192.0.2.1",
    ]
    assert [text.removeprefix("added:").strip() for text in added] == [
        "description uplink 3",
        "logging host 192.0.2.3",
    ]
    color = page.locator("table.diff td.ins").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")  # the changed lines are highlighted
    assert "HIDDENHASH" not in page.content()
    screenshot(page, "device-diff-side-1280")
    page.get_by_role("link", name="Unified view").click()
    page.wait_for_url(lambda url: "mode=unified" in url)
    assert (
        page.locator("table.diff.unified tr.del td:last-child").all_inner_texts()[0].strip()
        == "description uplink 1"
    )
    assert page.locator("table.diff.unified tr.ins").count() == 2
    screenshot(page, "device-diff-unified-1280")
    page.go_back()
    page.wait_for_url(lambda url: "mode=side" in url)
    assert page.locator("table.diff.side").is_visible()


def test_the_devices_table_works_by_keyboard(fleet: LiveServer, browser_page: Callable[..., Any]) -> None:
    page = browser_page("operator", 1280)
    page.goto("/devices")
    page.get_by_label("Name, address or description").focus()
    page.keyboard.type("sw-1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/devices?q=sw-1**")
    assert page.locator("tbody th[scope=row]").all_inner_texts() == [f"sw-1{n}" for n in range(10)]
    # Tab from the search field reaches the sort headers, the selection boxes, then the first device
    page.get_by_label("Name, address or description").focus()
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim()"
            )
        )
        if reached[-1] == "sw-10":
            break
    assert reached[-1] == "sw-10", reached
    assert "Select sw-10" in reached and any(text.startswith("Name") for text in reached)
    page.keyboard.press("Enter")
    page.wait_for_url("**/devices/sw-10")
    page.go_back()
    page.wait_for_url("**/devices?q=sw-1**")
    page.get_by_label("Select sw-11").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Select sw-11").is_checked()


def test_a_viewer_sees_no_action_buttons(fleet: LiveServer, browser_page: Callable[..., Any]) -> None:
    page = browser_page("viewer", 1280)
    page.goto("/devices")
    assert page.locator("tbody tr").count() > 0
    for name in ("Add a device", "Import a file"):
        assert page.get_by_role("button", name=name).count() == 0
    assert page.get_by_role("button", name="Back up the selected devices now").count() == 0
    assert page.locator("input[type=checkbox]").count() == 0
    page.goto("/devices/edge-1")
    assert page.get_by_role("button", name="Back up now").count() == 0
    assert page.get_by_role("button", name="Edit").count() == 0
    page.goto("/devices/edge-1/configs/2")
    assert page.get_by_role("link", name="Show them").count() == 0


PAGES = {
    "devices": "/devices",
    "devices-filtered": "/devices?tag=access&sort=-hostname",
    "device-new": "/devices/new",
    "device-edit": "/devices/edge-1/edit",
    "device-delete": "/devices/edge-1/delete",
    "devices-import": "/devices/import",
    "device-detail": "/devices/edge-1",
    "device-config": "/devices/edge-1/configs/4",
    "device-diff": "/devices/edge-1/diff?a=2&b=4",
    "device-diff-unified": "/devices/edge-1/diff?a=2&b=4&mode=unified",
    "configs-search": "/configs/search?pattern=logging+host&context=2",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_every_inventory_page_fits_the_screen_with_labelled_fields(
    fleet: LiveServer, browser_page: Callable[..., Any], screenshot: Callable[..., Path], width: int
) -> None:
    page = browser_page("admin", width)
    for name, url in PAGES.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        assert_no_horizontal_scroll(page)
        assert_fields_labelled(page)
        screenshot(page, f"{name}-{width}")
