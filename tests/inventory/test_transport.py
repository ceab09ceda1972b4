"""A device's transport: ssh or telnet, checked against netmiko's telnet drivers; tags carry one too."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.connections.transport import connection_type
from netraven.db.models import Device
from netraven.exceptions import DeviceError, InventoryError
from netraven.inventory import add_device, add_tag, edit_device, get_device, import_devices
from netraven.inventory.importer import ImportValidationError


def test_telnet_device_defaults_to_port_23_and_can_go_back_to_its_tags(session: Session) -> None:
    device = add_device(session, "old-1", "10.0.0.1", "cisco_ios", transport="TELNET")
    assert (device.transport, device.port) == ("telnet", 23)
    assert device.to_dict()["transport"] == "telnet"
    assert add_device(session, "new-1", "10.0.0.2", "cisco_ios").transport is None
    edit_device(session, "old-1", transport="")
    assert get_device(session, "old-1").transport is None
    edit_device(session, "old-1", transport="ssh")
    assert get_device(session, "old-1").transport == "ssh"


def test_telnet_refused_where_netmiko_has_no_telnet_driver(session: Session) -> None:
    with pytest.raises(InventoryError, match="platform 'fortinet' has no telnet driver") as caught:
        add_device(session, "fw-1", "10.0.0.3", "fortinet", transport="telnet")
    assert caught.value.field == "transport"
    add_device(session, "fw-2", "10.0.0.4", "fortinet")
    with pytest.raises(InventoryError, match="no telnet driver"):
        edit_device(session, "fw-2", transport="telnet")
    with pytest.raises(InventoryError, match="transport 'rdp' must be ssh or telnet"):
        add_device(session, "fw-3", "10.0.0.5", "cisco_ios", transport="rdp")
    with pytest.raises(InventoryError, match="transport 'x' must be ssh or telnet"):
        add_tag(session, "legacy", transport="x")
    assert session.scalar(select(func.count()).select_from(Device)) == 1
    assert get_device(session, "fw-2").transport is None


def test_import_reads_transport_and_reports_a_bad_one_by_row(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "hostname,host,platform,transport\na,10.0.0.1,cisco_ios,telnet\nb,10.0.0.2,fortinet,telnet\n"
    )
    with pytest.raises(ImportValidationError) as caught:
        import_devices(session, bad)
    assert caught.value.errors == ("row 2: platform 'fortinet' has no telnet driver in netmiko; use ssh",)
    assert session.scalar(select(func.count()).select_from(Device)) == 0
    good = tmp_path / "good.csv"
    good.write_text("hostname,host,platform,transport\na,10.0.0.1,cisco_ios,telnet\nb,10.0.0.2,fortinet,\n")
    import_devices(session, good)
    assert [get_device(session, n).transport for n in "ab"] == ["telnet", None]


def test_connection_type_maps_telnet_to_the_registry_driver() -> None:
    assert connection_type("cisco_ios", None) == "cisco_ios"
    assert connection_type("cisco_ios", "ssh") == "cisco_ios"
    assert connection_type("cisco_ios", "telnet") == "cisco_ios_telnet"
    assert connection_type("dell_os6", "telnet") == "dell_dnos6_telnet"  # not <type>_telnet
    assert connection_type("cisco_xe_telnet", None) == "cisco_xe_telnet"
    with pytest.raises(DeviceError, match="r1: platform fortinet has no telnet driver") as caught:
        connection_type("fortinet", "telnet", "r1")
    assert caught.value.kind == "connection"


def test_a_tag_asks_for_telnet_and_gives_it_back(session: Session) -> None:
    from netraven.inventory import edit_tag, get_tag

    add_tag(session, "legacy", transport="telnet")
    assert get_tag(session, "legacy").transport == "telnet"
    edit_tag(session, "legacy", transport="")
    assert get_tag(session, "legacy").transport is None
    with pytest.raises(InventoryError, match="must be ssh or telnet") as caught:
        edit_tag(session, "legacy", transport="serial")
    assert caught.value.field == "transport"
