"""A user's own Nornir script over NetRavenInventory, against simulated devices over real SSH."""

import logging

import pytest
from nornir import InitNornir
from nornir.core.task import Task
from nornir_netmiko.tasks import netmiko_send_command
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from netraven import open_nornir
from netraven.db.models import Credential, Device
from netraven.settings import Settings
from tests.inventory_plugin.conftest import load_fleet


def test_plain_nornir_script_gets_configs(engine: Engine, settings: Settings, simulated_fleet) -> None:
    fleet = simulated_fleet(4, platforms=("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"))
    load_fleet(engine, settings, fleet.devices, fleet.credentials[:1], fleet.description["secret"])
    url = engine.url.render_as_string(hide_password=False)

    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 4}},
        inventory={"plugin": "NetRavenInventory", "options": {"database_url": url, "settings": settings}},
        logging={"enabled": False},
    )
    assert sorted(nr.inventory.hosts) == sorted(d["hostname"] for d in fleet.devices)
    commands = {"juniper_junos": "show configuration | display set"}

    def get_config(task: Task) -> None:
        command = commands.get(task.host.platform, "show running-config")
        task.run(netmiko_send_command, command_string=command, enable=True)

    result = nr.run(task=get_config)
    nr.close_connections()
    assert not result.failed, {h: r.exception for h, r in result.items()}
    for device in fleet.devices:
        output = result[device["hostname"]][1].result
        assert device["hostname"] in output
        assert len(output.splitlines()) > 100


def test_tags_become_groups_and_filters_apply(engine: Engine, settings: Settings, simulated_fleet) -> None:
    fleet = simulated_fleet(3, platforms=("cisco_ios", "arista_eos"))
    load_fleet(engine, settings, fleet.devices, fleet.credentials[:1])
    nr = open_nornir(settings, engine=engine)
    host = nr.inventory.hosts[fleet.devices[0]["hostname"]]
    assert [g.name for g in host.groups] == ["lab"]
    assert nr.inventory.groups["lab"].data == {"type": "site"}
    assert host["simulated"] is True and isinstance(host["device_id"], int)
    assert (
        host.connection_options == {}
        and nr.inventory.defaults.connection_options["netmiko"].extras["fast_cli"]
    )
    assert len(open_nornir(settings, engine=engine, platforms=["arista_eos"]).inventory.hosts) == 1
    assert len(open_nornir(settings, engine=engine, tags=["lab"]).inventory.hosts) == 3
    assert len(open_nornir(settings, engine=engine, tags=["other"]).inventory.hosts) == 0
    assert list(open_nornir(settings, engine=engine, names=[host.name]).inventory.hosts) == [host.name]


def test_fallback_reaches_device_accepting_only_third_credential(
    engine: Engine, settings: Settings, simulated_fleet, caplog: pytest.LogCaptureFixture
) -> None:
    fleet = simulated_fleet(1, failures="0:auth_only=2")
    load_fleet(engine, settings, fleet.devices, fleet.credentials)
    hostname = fleet.devices[0]["hostname"]
    caplog.set_level(logging.INFO, logger="netraven.connections")

    nr = open_nornir(settings, engine=engine)
    result = nr.run(task=netmiko_send_command, command_string="show version")
    access = nr.inventory.hosts[hostname].access
    nr.close_connections()
    assert not result.failed, result[hostname].exception
    assert [(a.credential, a.outcome) for a in access.attempts] == [
        ("lab-1", "auth"), ("lab-2", "auth"), ("lab-3", "success"),
    ]  # fmt: skip

    with Session(engine) as session:
        creds = {c.name: c for c in session.scalars(select(Credential))}
        device = session.scalars(select(Device)).one()
        assert (creds["lab-1"].failure_count, creds["lab-2"].failure_count) == (1, 1)
        assert (creds["lab-3"].success_count, creds["lab-3"].failure_count) == (1, 0)
        assert creds["lab-3"].last_used is not None and device.last_credential_id == creds["lab-3"].id

    nr = open_nornir(settings, engine=engine)  # a new inventory: the last-good credential comes first
    result = nr.run(task=netmiko_send_command, command_string="show version")
    access = nr.inventory.hosts[hostname].access
    nr.close_connections()
    assert not result.failed
    assert [(a.credential, a.outcome) for a in access.attempts] == [("lab-3", "success")]
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "login as nr-admin (lab-1): auth" in messages and "logged in as nr-ops (lab-3)" in messages
    for cred in fleet.credentials:
        assert cred["password"] not in messages


def test_refused_connection_does_not_burn_credentials(
    engine: Engine, settings: Settings, simulated_fleet
) -> None:
    fleet = simulated_fleet(1, failures="0:refuse")
    load_fleet(engine, settings, fleet.devices, fleet.credentials)
    nr = open_nornir(settings, engine=engine)
    result = nr.run(task=netmiko_send_command, command_string="show version")
    hostname = fleet.devices[0]["hostname"]
    access = nr.inventory.hosts[hostname].access
    assert result.failed
    error = result[hostname].exception
    assert type(error).__name__ == "DeviceError" and error.kind == "connection"
    assert str(error) == f"{hostname}: connection refused"
    assert [(a.credential, a.outcome) for a in access.attempts] == [
        ("lab-1", "connection")
    ] * 2  # retried, same cred
    with Session(engine) as session:
        assert all(c.failure_count == 0 for c in session.scalars(select(Credential)))


def test_inventory_load_uses_a_fixed_number_of_queries(engine: Engine, settings: Settings) -> None:
    def queries_to_load() -> tuple[int, int]:
        statements: list[str] = []

        def listener(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", listener)
        try:
            hosts = len(open_nornir(settings, engine=engine).inventory.hosts)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return hosts, len(statements)

    def devices(first: int, count: int) -> list[dict]:
        return [
            {"hostname": f"q-{i}", "host": f"127.0.9.{i + 1}", "port": 22, "platform": "cisco_ios"}
            for i in range(first, first + count)
        ]

    load_fleet(engine, settings, devices(0, 3), [{"username": "q-user", "password": "Q-Pass-1"}])
    small = queries_to_load()
    load_fleet(engine, settings, devices(3, 97), [])
    large = queries_to_load()
    assert (small[0], large[0]) == (3, 100)
    assert small[1] == large[1]
