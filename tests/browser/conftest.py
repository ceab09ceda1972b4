"""Browser tests: the app served by ``netraven serve`` on a free port of 127.0.0.1, driven by
headless Chromium (Debian's ``chromium`` through Playwright's sync API; no browser is downloaded).

- ``live_server`` (one per test module): a SQLite database in a data directory of its own, users
  ``viewer``, ``operator`` and ``admin`` (password :data:`PASSWORD`), and the server process;
  ``live_worker``: a real ``netraven worker`` on its database and queue; ``live_fleet``:
  simulated devices over SSH on loopback.
- ``browser_page(role="admin", width=1280)``: a page logged in as that role, at that width
  (1280 or 390, the phone); the same page is given again for the same role and width in a module.
- ``screenshot(page, name)``: a full-page PNG under ``$NETRAVEN_SCREENSHOTS`` (default
  ``tests/browser/screenshots/``, git-ignored).
- ``assert_no_horizontal_scroll(page)``, ``assert_fields_labelled(page)``,
  ``assert_no_console_errors(page)`` (a script error, or a load the content security policy refused).

Without Chromium or Playwright the tests skip with the reason, and fail when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netraven import users
from netraven.db import migrate
from netraven.db.session import create_engine_from_settings
from netraven.settings import Settings, load_settings
from netraven.simulator.process import FleetProcess, SimulatorError, free_base_address, start_fleet_process
from netraven.web.deps import SESSION_COOKIE
from tests.scheduler.workers import FAST, Worker

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "operator", "admin")
WIDTHS = {1280: 900, 390: 844}  # viewport width -> height (a laptop, a phone)
SCREENSHOTS = Path(os.environ.get("NETRAVEN_SCREENSHOTS", Path(__file__).parent / "screenshots"))
START_TIMEOUT = 120.0
FLEET_SIZE = 3


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Headless Chromium, launched once for the session."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _unavailable("no chromium on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """A running ``netraven serve``: its URL, data directory, settings and database."""

    url: str
    home: Path
    settings: Settings
    engine: Engine
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    sessions: dict[str, str] = field(default_factory=dict)

    def session_id(self, role: str) -> str:
        """A browser session of the user named ``role`` (opened once per server)."""
        if role not in self.sessions:
            with Session(self.engine) as session, session.begin():
                principal = users.authenticate(session, self.settings, role, PASSWORD)
                self.sessions[role], _ = users.open_browser_session(session, self.settings, principal)
        return self.sessions[role]

    def netraven(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run ``netraven ARGS`` on the server's data directory."""
        return subprocess.run(
            [sys.executable, "-m", "netraven", *args],
            env=self.env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip


def server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAVEN_")}
    return {**env, "NETRAVEN_HOME": str(home), "PYTHONUNBUFFERED": "1"}


def start_server(server: LiveServer, port: int) -> None:
    """Start ``netraven serve`` and wait until its health endpoint answers."""
    with server.log.open("ab") as log:
        server.process = subprocess.Popen(
            [sys.executable, "-m", "netraven", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=server.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"netraven serve exited with {server.process.returncode}:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code in (200, 503):
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"netraven serve did not answer within {START_TIMEOUT} s:\n{server.log.read_text()}")


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``netraven serve`` on a new SQLite database with a user of each role (for this module)."""
    home = tmp_path_factory.mktemp("live-home")
    env = server_env(home)
    settings = load_settings(environ={"NETRAVEN_HOME": str(home)})
    engine = create_engine_from_settings(settings)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        for role in ROLES:
            users.add_user(session, settings, role, PASSWORD, role)
    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", home, settings, engine, env, home / "serve.log")
    try:
        start_server(server, port)
        yield server
    finally:
        stop_process(server.process)
        engine.dispose()


@pytest.fixture(scope="module")
def live_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FleetProcess]:
    """Simulated devices (IOS and EOS) over real SSH on loopback, for this module."""
    workdir = tmp_path_factory.mktemp("live-fleet")
    for attempt in range(3):
        address, port = free_base_address()
        try:
            fleet = start_fleet_process(FLEET_SIZE, workdir, ("cisco_ios", "arista_eos"), address, port)
            break
        except SimulatorError as exc:
            if "in use" not in str(exc) or attempt == 2:
                raise
    try:
        yield fleet
    finally:
        fleet.stop()


@pytest.fixture(scope="module")
def live_worker(live_server: LiveServer) -> Iterator[Worker]:
    """A real ``netraven worker`` on the live server's database and queue, for this module."""
    env = {**live_server.env, **FAST, "NETRAVEN_SCHEDULER__TICK_SECONDS": "2"}
    worker = Worker(env, live_server.home / "worker.log", ())
    try:
        yield worker
    finally:
        worker.kill()


@pytest.fixture(scope="module")
def browser_page(chromium: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Factory: the page of a browser context logged in as ``role`` at ``width`` px (reused)."""
    pages: dict[tuple[str | None, int], Any] = {}
    contexts = []

    def make(role: str | None = "admin", width: int = 1280) -> Any:
        if (role, width) not in pages:
            context = chromium.new_context(
                viewport={"width": width, "height": WIDTHS.get(width, 900)}, base_url=live_server.url
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            if role is not None:
                cookie = {
                    "name": SESSION_COOKIE,
                    "value": live_server.session_id(role),
                    "url": live_server.url,
                }
                context.add_cookies([{**cookie, "httpOnly": True, "sameSite": "Lax"}])
            page = context.new_page()
            page.console_errors = []  # what the browser complained of: a script error, a refused load
            page.on(
                "console", lambda m, p=page: p.console_errors.append(m.text) if m.type == "error" else None
            )
            page.on("pageerror", lambda e, p=page: p.console_errors.append(str(e)))
            pages[(role, width)] = page
        return pages[(role, width)]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot of ``page`` as ``<name>.png``; its path."""

    def save(page: Any, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) { clipped = true; break; }
      }
      if (!clipped) wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' ' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button', 'reset'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


def assert_no_horizontal_scroll(page: Any) -> None:
    """The page is no wider than its viewport (nothing to scroll sideways)."""
    found = page.evaluate(OVERFLOWING)
    assert found["scroll"] <= found["width"], f"{page.url} scrolls sideways: {found}"


def assert_no_console_errors(page: Any) -> None:
    """No script error and nothing refused (by the content security policy...) since the last check."""
    errors = list(getattr(page, "console_errors", []))
    page.console_errors.clear()
    assert not errors, f"{page.url}: the browser reported {errors}"


def assert_fields_labelled(page: Any) -> None:
    """Every visible form field has a label (a <label>, aria-label or aria-labelledby)."""
    unlabelled = page.evaluate(UNLABELLED)
    assert not unlabelled, f"{page.url}: fields without a label: {unlabelled}"
