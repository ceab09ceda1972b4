"""Devices and tags through the library, on SQLite and PostgreSQL."""

from unittest import mock

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Device, Tag
from netraven.exceptions import InventoryError
from netraven.inventory import (
    add_device,
    add_tag,
    edit_device,
    get_device,
    list_devices,
    list_tags,
    query_devices,
    remove_device,
    remove_tag,
    tag_names,
)


def count(session: Session, model: type[Device] | type[Tag]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_add_get_list_with_shared_tags(session: Session) -> None:
    add_device(session, "core-1", "10.0.0.1", "cisco_ios", tags=["site-a", "core"], description=" Core ")
    add_device(session, "edge-1", "edge-1.example.net", "juniper_junos", port=830, tags=["site-a"])
    add_device(session, "lab-1", "::1", "arista_eos", enabled=False)
    device = get_device(session, "core-1")
    assert (device.host, device.port, device.description, device.tag_names()) == (
        "10.0.0.1", 22, "Core", ["core", "site-a"])  # fmt: skip
    assert get_device(session, device.id) is device
    assert count(session, Tag) == 2  # site-a is shared, not created twice
    assert [d.hostname for d in list_devices(session)] == ["core-1", "edge-1", "lab-1"]
    assert [d.hostname for d in list_devices(session, tags=["site-a"])] == ["core-1", "edge-1"]
    assert [d.hostname for d in list_devices(session, tags=["site-a", "core"])] == ["core-1"]
    assert [d.hostname for d in list_devices(session, platform="juniper_junos")] == ["edge-1"]
    assert [d.hostname for d in list_devices(session, enabled=False)] == ["lab-1"]
    assert {t.name: n for t, n in list_tags(session)} == {"core": 1, "site-a": 2}


@pytest.mark.parametrize(
    ("kwargs", "message", "field"),
    [
        ({"host": "300.1.1.1"}, "bad address '300.1.1.1': not a valid IPv4 address", "host"),
        (
            {"host": "bad host!"},
            "bad address 'bad host!': must be an IPv4/IPv6 address or a valid DNS hostname",
            "host",
        ),
        ({"platform": "cisco_iso"}, "unknown platform 'cisco_iso' (did you mean cisco_ios?)", "platform"),
        ({"port": 70000}, "port 70000 is outside 1-65535", "port"),
        ({"hostname": ""}, "hostname is empty", "hostname"),
        ({"tags": ["ok", "a|b"]}, "tag name 'a|b' contains ';' or '|'", "tags"),
    ],
)
def test_add_rejects_bad_input_and_writes_nothing(
    session: Session, kwargs: dict[str, object], message: str, field: str
) -> None:
    args: dict[str, object] = {
        "hostname": "r1",
        "host": "10.0.0.1",
        "platform": "cisco_ios",
        "tags": ["new"],
        **kwargs,
    }
    with pytest.raises(InventoryError) as caught:
        add_device(session, **args)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.field == field  # a form shows the message next to this field
    assert (count(session, Device), count(session, Tag)) == (0, 0)
    assert not session.new


def test_duplicate_hostname(session: Session) -> None:
    add_device(session, "r1", "10.0.0.1", "cisco_ios")
    with pytest.raises(InventoryError, match=r"^a device named 'r1' already exists$") as caught:
        add_device(session, "r1", "10.0.0.2", "cisco_ios", tags=["x"])
    assert caught.value.field == "hostname"
    assert count(session, Device) == 1 and count(session, Tag) == 0


def test_concurrent_duplicate_is_wrapped_and_keeps_the_transaction(session: Session) -> None:
    add_device(session, "r1", "10.0.0.1", "cisco_ios")
    # The existence check misses it, as when another session inserts between check and flush.
    with (
        mock.patch.object(session, "scalar", return_value=None),
        pytest.raises(InventoryError, match="already exists"),
    ):
        add_device(session, "r1", "10.0.0.2", "cisco_ios")
    assert count(session, Device) == 1  # the caller's transaction is still usable


def test_missing_device(session: Session) -> None:
    with pytest.raises(InventoryError, match=r"^no device named 'nope'$"):
        get_device(session, "nope")
    with pytest.raises(InventoryError, match=r"^no device id 42$"):
        get_device(session, 42)
    with pytest.raises(InventoryError, match=r"^no device named 'nope'$"):
        remove_device(session, "nope")


def test_edit(session: Session) -> None:
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["a", "b"], description="old")
    device = edit_device(
        session, "r1", host="r1.example.net", port=2222, platform="cisco_nxos", description="",
        enabled=False, add_tags=["c"], remove_tags=["a"], data={"rack": 4},
    )  # fmt: skip
    assert (device.host, device.port, device.platform, device.description, device.enabled, device.data) == (
        "r1.example.net", 2222, "cisco_nxos", None, False, {"rack": 4})  # fmt: skip
    assert device.tag_names() == ["b", "c"]
    with pytest.raises(InventoryError, match=r"^device 'r1' has no tag 'zzz'$"):
        edit_device(session, "r1", remove_tags=["zzz"])
    with pytest.raises(InventoryError, match=r"^unknown platform") as caught:
        edit_device(session, "r1", platform="nope", add_tags=["never"])
    assert caught.value.field == "platform"
    assert get_device(session, "r1").platform == "cisco_nxos"
    assert "never" not in {t.name for t, _ in list_tags(session)}


def test_netmiko_options_in_data_are_checked_by_name(session: Session) -> None:
    device = edit_device(session, add_device(session, "r1", "10.0.0.1", "cisco_ios").hostname,
                         data={"netmiko_options": {"global_delay_factor": 2}})  # fmt: skip
    assert device.data == {"netmiko_options": {"global_delay_factor": 2}}
    with pytest.raises(InventoryError, match=r"^data.netmiko_options.fast_clii: unknown netmiko option "
                       r"\(did you mean 'fast_cli'\?\)$"):  # fmt: skip
        edit_device(session, "r1", data={"netmiko_options": {"fast_clii": False}})
    with pytest.raises(InventoryError, match=r"^data.netmiko_options.secret: not an option here"):
        add_device(session, "r2", "10.0.0.2", "cisco_ios", data={"netmiko_options": {"secret": "x"}})
    assert get_device(session, "r1").data == {"netmiko_options": {"global_delay_factor": 2}}
    assert count(session, Device) == 1


def test_remove_device_keeps_tags(session: Session) -> None:
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["a"])
    remove_device(session, "r1")
    assert count(session, Device) == 0
    assert [(t.name, n) for t, n in list_tags(session)] == [("a", 0)]


def test_tags(session: Session) -> None:
    tag = add_tag(session, "site-a", type="site", description="Paris")
    assert (tag.name, tag.type, tag.description) == ("site-a", "site", "Paris")
    with pytest.raises(InventoryError, match=r"^a tag named 'site-a' already exists$"):
        add_tag(session, "site-a")
    with pytest.raises(InventoryError, match=r"^tag type '' must be 1-50 characters$"):
        add_tag(session, "x", type="")
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["site-a"])
    remove_tag(session, "site-a")
    assert get_device(session, "r1").tag_names() == []
    with pytest.raises(InventoryError, match=r"^no tag named 'site-a'$"):
        remove_tag(session, "site-a")


def test_tags_given_as_one_string(session: Session) -> None:
    assert add_device(session, "r1", "10.0.0.1", "cisco_ios", tags="core;site-a").tag_names() == [
        "core",
        "site-a",
    ]


def test_tag_names_are_listed_by_name(session: Session) -> None:
    for name in ("site-b", "core", "site-a"):
        add_tag(session, name)
    assert tag_names(session) == ["core", "site-a", "site-b"]
    assert tag_names(session, limit=2) == ["core", "site-a"]


def test_query_devices_text_matches_hostname_address_or_description(session: Session) -> None:
    add_device(session, "core-1", "10.0.0.1", "cisco_ios", description="Paris POP")
    add_device(session, "edge-1", "edge1.example.net", "cisco_ios")
    add_device(session, "edge-2", "10.9.9.9", "cisco_ios")

    def names(text: str) -> list[str]:
        return [d.hostname for d in query_devices(session, text=text).items]

    assert names("EDGE") == ["edge-1", "edge-2"]
    assert names("example") == ["edge-1"]
    assert names("paris") == ["core-1"]
    assert names("10.") == ["core-1", "edge-2"]
    assert names("%") == [] and names("  ") == ["core-1", "edge-1", "edge-2"]
    add_device(session, "sw_1", "10.1.1.1", "cisco_ios")
    assert names("_1") == ["sw_1"] and names("W_") == ["sw_1"]  # "_" is itself, not any character
    with pytest.raises(InventoryError) as caught:
        query_devices(session, backup_status="maybe")
    assert caught.value.field == "backup_status"
