"""``/configs/search``: RE2 over the latest configs with context, masked, paged; a refused pattern
shown next to its field; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import inventory
from netraven.configs import ConfigStore
from netraven.settings import Settings
from tests.web.pages.conftest import PageClient, assert_page


@pytest.fixture
def fleet(engine: Engine, web_settings: Settings) -> None:
    """r0..r59, each with an old then a latest config; r0-r2 log to 192.0.2.9 in the latest only."""
    store = ConfigStore(web_settings)
    with Session(engine) as session, session.begin():
        for n in range(60):
            device = inventory.add_device(session, f"r{n:02d}", f"10.0.0.{n + 1}", "cisco_ios")
            session.flush()
            for version in (1, 2):
                logging = "logging host 192.0.2.9\n" if n < 3 and version == 2 else ""
                text = (f"hostname r{n:02d}\ninterface Gi1\n description v{version}\n!\n{logging}"
                        f"snmp-server community s3cr3t-{n} RO\nend\n")  # fmt: skip
                store.save(session, device.id, text, "cisco_ios")


def test_matches_link_to_the_device_and_the_line_of_its_version(
    fleet: None, page_client: Callable[..., PageClient]
) -> None:
    html = assert_page(page_client("viewer").get("/configs/search?pattern=logging+host&context=1"), 200)
    assert "3 matching lines" in html
    assert re.findall(r'<a href="/devices/(r\d+)">', html) == ["r00", "r01", "r02"]
    assert 'href="/devices/r01/configs/2#L5"' in html
    assert "<mark>logging host 192.0.2.9</mark>" in html
    assert "!" in html and "snmp-server community" in html  # one line of context either side


def test_secrets_are_searched_masked_and_results_paged(
    fleet: None, page_client: Callable[..., PageClient]
) -> None:
    client = page_client("viewer")
    assert_page(client.get("/configs/search?pattern=s3cr3t"), 200, "No line of any latest config matches")
    first = assert_page(
        client.get("/configs/search?pattern=^snmp-server&context=0"), 200, "60 matching lines"
    )
    assert "s3cr3t" not in first and len(re.findall("<mark>", first)) == 50
    second = client.get("/configs/search?pattern=^snmp-server&context=0&page=2").text
    assert re.findall(r'<a href="/devices/(r\d+)">', second) == [f"r{n}" for n in range(50, 60)]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("pattern=(unclosed", "pattern", "invalid regular expression '(unclosed': missing ): (unclosed"),
        ("pattern=(a)\\1", "pattern", "RE2 syntax: no backreferences"),
        ("pattern=" + "a" * 1001, "pattern", "longer than 1000 characters"),
        ("pattern=x&context=abc", "context", "context 'abc' must be an integer from 0 to 100"),
        ("pattern=x&context=101", "context", "context 101 must be an integer from 0 to 100"),
    ],
)
def test_a_refused_pattern_is_shown_next_to_its_field(
    fleet: None, page_client: Callable[..., PageClient], query: str, field: str, message: str
) -> None:
    html = assert_page(page_client("viewer").get(f"/configs/search?{query}"), 422)
    error = re.search(rf'<small id="f-{field}-error" class="field-error">([^<]*)</small>', html)
    assert error is not None and message in unescape(error.group(1)), html[:3000]
    assert "<mark>" not in html


def test_without_a_pattern_the_page_says_what_to_do(page_client: Callable[..., PageClient]) -> None:
    html = assert_page(
        page_client("viewer").get("/configs/search"), 200, "Type a regular expression", 'for="f-pattern"'
    )
    assert "matching line" not in html
    assert page_client(None).get("/configs/search").status_code == 303
