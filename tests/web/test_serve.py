"""``netraven serve`` end to end: a real uvicorn on loopback, the default SQLite, nothing else."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from netraven import users
from netraven.db import create_engine_for_url, migrate
from netraven.settings import load_settings
from tests.web.conftest import PASSWORD

START_TIMEOUT = 60  # seconds: a loaded machine starts Python slowly


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def netraven(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "netraven", *args]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data directory with the default SQLite database migrated and an admin in it."""
    home = tmp_path / "home"
    settings = load_settings(environ={"NETRAVEN_HOME": str(home)})
    engine = create_engine_for_url(settings.database_url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        users.add_user(session, settings, "root", PASSWORD, "admin")
    engine.dispose()
    return home


@pytest.fixture
def server(home: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "NETRAVEN_HOME": str(home), "NETRAVEN_WEB__TRUSTED_PROXIES": "127.0.0.1"}
    process = subprocess.Popen(
        netraven(home, "serve", "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "netraven serve did not answer in time"
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_serve_answers_health_and_an_authenticated_call(server: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = server
    health = httpx.get(f"{base}/api/v1/health", headers={"X-Request-ID": "e2e-health"})
    assert health.status_code == 200 and health.headers["x-request-id"] == "e2e-health"
    assert health.json()["database"]["ok"] and health.json()["schema_current"]["ok"]
    token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "root", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "X-Request-ID": "e2e-add"}
    device = {"hostname": "r1", "host": "192.0.2.1", "platform": "cisco_ios"}
    proxied = {**headers, "X-Forwarded-For": "203.0.113.9"}  # the trusted proxy (loopback) says who
    assert httpx.post(f"{base}/api/v1/devices", json=device, headers=proxied).status_code == 201
    entries = httpx.get(f"{base}/api/v1/audit", params={"action": "device.add"}, headers=headers).json()
    assert [(e["actor"], e["address"]) for e in entries["items"]] == [("root", "203.0.113.9")]
    listed = httpx.get(f"{base}/api/v1/devices", headers=headers).json()
    assert [d["hostname"] for d in listed["items"]] == ["r1"]
    assert httpx.get(f"{base}/api/v1/devices").status_code == 401
    process.terminate()
    output, _ = process.communicate(timeout=15)
    assert "[e2e-add]" in output and "POST /api/v1/devices 201" in output  # the request id in the log
    assert PASSWORD not in output and token["access_token"] not in output


def test_serve_refuses_a_database_without_schema(tmp_path: Path) -> None:
    env = {**os.environ, "NETRAVEN_HOME": str(tmp_path / "empty")}
    result = subprocess.run(netraven(tmp_path, "serve", "--port", str(free_port())), env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].endswith("run 'netraven db upgrade'")


def test_serve_warns_on_a_public_address_without_tls(home: Path) -> None:
    env = {**os.environ, "NETRAVEN_HOME": str(home)}
    command = netraven(home, "serve", "--host", "0.0.0.0", "--port", str(free_port()))
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stderr is not None
            first = process.stderr.readline()
        finally:
            process.terminate()
            process.wait(timeout=15)
    assert first.startswith("Warning: serving on 0.0.0.0 without TLS")
