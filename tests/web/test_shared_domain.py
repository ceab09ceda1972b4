"""The API and the CLI share the domain layer: the same operation through both writes the same
rows (device, tags, audit changes), and refuses the same bad input with the same message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.cli import main
from netraven.db.models import AuditEntry
from netraven.inventory import get_device


def cli(engine: Engine, *args: str) -> Any:
    env = {"NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False)}
    return CliRunner().invoke(main, list(args), env=env)


def row(session: Session, hostname: str) -> dict[str, Any]:
    view = get_device(session, hostname).to_dict()
    return {k: v for k, v in view.items() if k not in ("id", "hostname")}


def test_add_device_through_cli_and_api_gives_the_same_rows(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine, db: Callable[[], Session]
) -> None:
    fields = {"host": "10.0.0.1", "platform": "cisco_ios", "port": 2222, "description": "edge"}
    result = cli(engine, "device", "add", "by-cli", "--host", "10.0.0.1", "--platform", "cisco_ios",
                 "--port", "2222", "--tag", "b", "--tag", "a", "--description", "edge")  # fmt: skip
    assert result.exit_code == 0, result.output
    response = client.post("/api/v1/devices", json={"hostname": "by-api", "tags": ["b", "a"], **fields},
                           headers=as_role["operator"])  # fmt: skip
    assert response.status_code == 201, response.text
    with db() as session:
        assert row(session, "by-cli") == row(session, "by-api")
        entries = {
            e.object_id: e
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "device.add"))
        }
    assert entries["by-cli"].changes == entries["by-api"].changes
    assert entries["by-api"].actor_name == "operator"


def test_bad_input_gets_the_same_message_from_cli_and_api(
    app: FastAPI, client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine
) -> None:
    result = cli(engine, "device", "add", "r1", "--host", "10.0.0.999", "--platform", "cisco_ios")
    assert result.exit_code == 1
    response = client.post("/api/v1/devices", json={"hostname": "r1", "host": "10.0.0.999", "platform": "cisco_ios"},
                           headers=as_role["operator"])  # fmt: skip
    message = response.json()["error"]["message"]
    assert result.output.strip() == f"Error: {message}"
