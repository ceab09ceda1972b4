"""No artefact of a run with credential fallback and failures holds a plaintext secret."""

import json
import logging

import pytest
from click.testing import CliRunner
from nornir_netmiko.tasks import netmiko_send_command
from sqlalchemy import Engine, MetaData, select

from netraven import open_nornir
from netraven.cli import main
from netraven.settings import Settings
from tests.inventory_plugin.conftest import load_fleet


def test_secrets_never_leak(
    engine: Engine, settings: Settings, simulated_fleet, caplog: pytest.LogCaptureFixture
) -> None:
    fleet = simulated_fleet(3, failures="0:auth_only=2,1:refuse,2:bad_enable")
    secret = fleet.description["secret"]
    load_fleet(engine, settings, fleet.devices, fleet.credentials, secret)
    plaintexts = [c["password"] for c in fleet.credentials] + [secret]
    caplog.set_level(logging.DEBUG)

    nr = open_nornir(settings, engine=engine)
    result = nr.run(task=netmiko_send_command, command_string="show running-config", enable=True)
    nr.close_connections()
    assert result.failed  # the refused and bad-enable devices fail; the auth_only one works
    assert not result[fleet.devices[0]["hostname"]].failed

    artefacts = [caplog.text, json.dumps(nr.inventory.dict(), default=str)]
    for host in nr.inventory.hosts.values():
        artefacts += [
            repr(host),
            repr(host.access),
            repr(host.access.candidates),
            repr(host.data),
            repr(host.dict()),
        ]
    for multi in result.values():
        for item in multi:
            artefacts += [str(item.exception), repr(item.exception), str(item.result)]
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            artefacts += [repr(tuple(row)) for row in connection.execute(select(table))]
    url = engine.url.render_as_string(hide_password=False)
    for args in (["credential", "list"], ["credential", "list", "--json"]):
        artefacts.append(CliRunner().invoke(main, args, env={"NETRAVEN_DATABASE__URL": url}).output)

    everything = "\n".join(artefacts)
    assert "nr-admin" in everything  # the artefacts are real: usernames are there
    for plaintext in plaintexts:
        assert plaintext not in everything
        assert plaintext.encode().hex() not in everything
