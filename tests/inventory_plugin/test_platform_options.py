"""``connection.platform_options`` reach the connections of that platform's hosts, under device options."""

from dataclasses import replace

from nornir.core.task import Task
from nornir_netmiko.tasks import netmiko_send_command
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven import open_nornir
from netraven.db.models import Device
from netraven.exceptions import DeviceError
from netraven.settings import Settings
from tests.inventory_plugin.conftest import load_fleet


def test_platform_options_apply_under_device_options(
    engine: Engine, settings: Settings, simulated_fleet
) -> None:
    fleet = simulated_fleet(3, platforms=("cisco_ios", "cisco_ios", "arista_eos"), failures="0-2:slow=1")
    load_fleet(engine, settings, fleet.devices, fleet.credentials[:1], fleet.description["secret"])
    tight, patient, eos = (d["hostname"] for d in fleet.devices)
    with Session(engine) as session, session.begin():
        device = session.scalar(select(Device).where(Device.hostname == patient))
        assert device is not None
        device.data = {**device.data, "netmiko_options": {"read_timeout_override": 15}}
    options = {"cisco_ios": {"read_timeout_override": 0.3, "global_delay_factor": 1}}
    settings = replace(settings, connection=replace(settings.connection, platform_options=options))

    nr = open_nornir(settings, engine=engine)
    extras = {name: host.connection_options.get("netmiko") for name, host in nr.inventory.hosts.items()}
    assert extras[eos] is None  # no options of its own: the defaults
    assert extras[tight] is not None and extras[tight].extras["read_timeout_override"] == 0.3
    assert extras[tight].extras["conn_timeout"] == settings.connection.timeout  # defaults kept
    assert extras[patient] is not None and extras[patient].extras["read_timeout_override"] == 15

    def version(task: Task) -> None:
        task.run(netmiko_send_command, command_string="show version")

    result = nr.run(task=version)
    nr.close_connections()
    error = result[tight][1].exception  # 0.3 s is less than the 1 s the device takes to answer
    assert isinstance(error, DeviceError) and error.kind == "timeout", error
    assert not result[patient].failed and not result[eos].failed
