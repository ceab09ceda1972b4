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


def test_a_job_created_and_run_through_cli_and_api_gives_the_same_rows(
    client: TestClient, as_role: dict[str, dict[str, str]], engine: Engine, db: Callable[[], Session]
) -> None:
    from netraven.inventory import add_device
    from netraven.jobs import get_job, job_to_dict

    with db() as session, session.begin():
        add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["core"])
    result = cli(engine, "--user", "operator", "job", "create", "by-cli", "--type", "command", "--tag", "core",
                 "--param", "commands=show clock", "--schedule-type", "cron", "--cron", "0 2 * * *",
                 "--priority", "3")  # fmt: skip
    assert result.exit_code == 0, result.output
    body = {"name": "by-api", "job_type": "command", "targets": {"tags": ["core"]}, "priority": 3,
            "parameters": {"commands": ["show clock"]}, "schedule": {"type": "cron", "cron_expression": "0 2 * * *"}}  # fmt: skip
    assert client.post("/api/v1/jobs", json=body, headers=as_role["operator"]).status_code == 201
    with db() as session:
        views = {name: job_to_dict(get_job(session, name)) for name in ("by-cli", "by-api")}
        for view in views.values():
            del view["id"], view["name"], view["created_at"]
        assert views["by-cli"] == views["by-api"]
        created = {
            e.object_id: e.changes
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "job.create"))
        }
        ids = {name: str(get_job(session, name).id) for name in views}
    cli_changes, api_changes = created[ids["by-cli"]], created[ids["by-api"]]
    assert {k: v for k, v in cli_changes.items() if k != "name"} == {
        k: v for k, v in api_changes.items() if k != "name"
    }

    # Bad input: the same message from both.
    result = cli(engine, "job", "create", "bad", "--type", "backup", "--tag", "core", "--schedule-type", "cron",
                 "--cron", "61 * * * *")  # fmt: skip
    bad = {"name": "bad", "job_type": "backup", "targets": {"tags": ["core"]},
           "schedule": {"type": "cron", "cron_expression": "61 * * * *"}}  # fmt: skip
    response = client.post("/api/v1/jobs", json=bad, headers=as_role["operator"])
    assert result.exit_code == 1 and result.output.strip() == f"Error: {response.json()['error']['message']}"
