"""The login page and the dashboard in Chromium: the login page renders at both widths with its
fields labelled, the keyboard alone logs in (the user name has the focus, Tab reaches the password
then the button), a wrong password says so; the menu of a phone opens; the dashboard draws its
chart and fits a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    PASSWORD,
    LiveServer,
    assert_fields_labelled,
    assert_no_console_errors,
    assert_no_horizontal_scroll,
)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_login_page_renders_labelled_without_sideways_scroll(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], width: int
) -> None:
    page = browser_page(None, width)
    page.goto("/login")
    assert page.title() == "Log in · NetRaven"
    assert page.get_by_label("User name").is_visible() and page.get_by_label("Password").is_visible()
    assert_fields_labelled(page)
    assert_no_horizontal_scroll(page)
    assert_no_console_errors(page)
    screenshot(page, f"login-{width}")


def test_the_keyboard_alone_logs_in_and_lands_on_next(
    browser_page: Callable[..., Any], live_server: LiveServer
) -> None:
    page = browser_page(None, 1280)
    page.goto("/login?next=/%3Fhello%3D1")
    focused = "document.activeElement && document.activeElement.id"
    autofocused = "document.activeElement && document.activeElement.id === 'f-username'"
    page.wait_for_function(autofocused, timeout=5000)  # autofocus lands after load, later on a busy machine
    page.keyboard.type("operator")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "f-password"
    page.keyboard.type("wrong password")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Log in"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith("invalid username or password")
    page.wait_for_function(autofocused, timeout=5000)  # autofocus again, the name kept
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/?hello=1")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/login?logged_out=1")
    assert page.get_by_text("You have logged out.").is_visible()


def test_the_menu_opens_on_a_phone(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path]
) -> None:
    page = browser_page("viewer", 390)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    devices = nav.get_by_role("link", name="Devices", exact=True)
    assert not devices.is_visible()
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    assert devices.is_visible() and menu.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Users").count() == 0  # a viewer has no admin pages
    assert_no_horizontal_scroll(page)
    screenshot(page, "menu-390")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_draws_its_chart_and_fits_the_width(
    browser_page: Callable[..., Any], screenshot: Callable[[Any, str], Path], width: int
) -> None:
    page = browser_page("admin", width)
    page.goto("/")
    assert page.get_by_role("heading", name="Get started").is_visible()
    page.locator("#activity-chart canvas").wait_for()
    box = page.locator("#activity-chart canvas").bounding_box()
    assert box is not None and 0 < box["width"] <= width
    assert page.locator("#activity-chart .u-legend").inner_text().count("Hosts backed up") == 1
    assert_no_horizontal_scroll(page)
    assert_no_console_errors(page)
    screenshot(page, f"dashboard-{width}")


def test_the_content_security_policy_refuses_an_injected_script(browser_page: Callable[..., Any]) -> None:
    page = browser_page("viewer", 1280)
    page.goto("/")
    assert_no_console_errors(page)
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.injected === undefined")
    page.wait_for_function("true")
    assert any("Content Security Policy" in e for e in page.console_errors), page.console_errors
    page.console_errors.clear()
