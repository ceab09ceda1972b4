"""Reading Oxidized and RANCID router.db files: every mapped model, logins, states, bad lines."""

import re
from pathlib import Path

import pytest

from netraven.exceptions import InventoryError
from netraven.platforms import known_platforms
from netraven.toolimport import OXIDIZED, RANCID
from netraven.toolimport.models import model_table, resolve_model
from netraven.toolimport.routerdb import Login, read_router_db

SECRET = "Rdb-Secret-9!"


def test_every_mapped_name_is_a_netmiko_device_type() -> None:
    unknown = {name: platform for name, platform in {**OXIDIZED, **RANCID}.items()
               if platform not in known_platforms()}  # fmt: skip
    assert unknown == {}


def test_oxidized_lines_with_and_without_logins(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(
        "# a comment\n\n"
        f"core-1:10.0.0.1:IOS:backup:{SECRET}:En-{SECRET}\n"
        "edge-1::junos\n"
        f"fw-1:10.0.0.9:fortios:admin:{SECRET}:true\n"
    )
    parsed = read_router_db(path, "oxidized", OXIDIZED)
    assert parsed.lines == [3, 4, 5] and parsed.problems == []
    assert [(r["hostname"], r["host"], r["platform"]) for r in parsed.records] == [
        ("core-1", "10.0.0.1", "cisco_ios"),
        ("edge-1", "edge-1", "juniper_junos"),  # no ip: the name is the address, as in Oxidized
        ("fw-1", "10.0.0.9", "fortinet"),
    ]
    assert parsed.logins == {
        "core-1": Login("backup", SECRET, f"En-{SECRET}"),
        "fw-1": Login("admin", SECRET, None),  # Oxidized's enable: true has no secret
    }
    assert SECRET not in repr(parsed.logins)


def test_oxidized_bad_lines_name_their_line_never_a_secret(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(
        f"a:10.0.0.1:iosxe:u:{SECRET}\n"
        "b:10.0.0.2:ios:u\n"
        f"c:10.0.0.3:ios::{SECRET}\n"
        f"d:10.0.0.4:junos:x:{SECRET}:y:z\n"
        "e:10.0.0.5\n"
        "f:10.0.0.6:eos\n"
    )
    parsed = read_router_db(path, "oxidized", OXIDIZED)
    assert [r["hostname"] for r in parsed.records] == ["f"] and parsed.lines == [6]
    assert parsed.problems == [
        (1, "unknown oxidized model 'iosxe' (did you mean 'iosxr'? map it with --map iosxe=DEVICE_TYPE)"),
        (2, "username 'u' without a password"),
        (3, "a password or enable secret without a username"),
        (
            4,
            "expected name:ip:model[:username:password[:enable]], got 7 ':'-separated fields (an IPv6 address? give another --delimiter)",
        ),
        (5, "expected name:ip:model[:username:password[:enable]], got 2 ':'-separated fields"),
    ]


def test_oxidized_ipv6_with_another_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text("v6-1:2001:db8:0:0:0:0:0:1:nxos\n")
    (problem,) = read_router_db(path, "oxidized", OXIDIZED).problems
    assert problem[1].endswith("got 10 ':'-separated fields (an IPv6 address? give another --delimiter)")
    path.write_text("v6-1,2001:db8::1,nxos\n")
    parsed = read_router_db(path, "oxidized", OXIDIZED, delimiter=",")
    assert parsed.records == [{"hostname": "v6-1", "host": "2001:db8::1", "platform": "cisco_nxos"}]


def test_rancid_states_comments_and_rancid2_colons(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text(
        "core-1.example.net;cisco;up\n"
        "old-1.example.net;cisco-nx;down;waiting for RMA\n"
        "spare-1.example.net;juniper;ticketed\n"
        "legacy-1.example.net:foundry:up\n"
    )
    parsed = read_router_db(path, "rancid", RANCID)
    assert parsed.problems == [] and parsed.logins == {}
    assert parsed.records == [
        {"hostname": "core-1.example.net", "host": "core-1.example.net", "platform": "cisco_ios",
         "enabled": True},
        {"hostname": "old-1.example.net", "host": "old-1.example.net", "platform": "cisco_nxos",
         "enabled": False, "description": "waiting for RMA"},
        {"hostname": "spare-1.example.net", "host": "spare-1.example.net", "platform": "juniper_junos",
         "enabled": False, "description": "RANCID state: ticketed"},
        {"hostname": "legacy-1.example.net", "host": "legacy-1.example.net", "platform": "ruckus_fastiron",
         "enabled": True},
    ]  # fmt: skip


def test_rancid_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_text("a;cisco\nb;brocade;up\nc;cisco;\n")
    problems = dict(read_router_db(path, "rancid", RANCID).problems)
    assert problems[1] == "expected name;type;state[;comment], got 2 ';'-separated fields"
    assert problems[2].startswith("unknown rancid device type 'brocade' (")
    assert problems[3] == "no state (up or down)"


def test_site_maps_and_bad_maps() -> None:
    table = model_table("oxidized", {" IOSXE ": "cisco_xe"})
    assert resolve_model("oxidized", table, "iosxe") == "cisco_xe"
    with pytest.raises(InventoryError, match=r"^--map iosxe=cisco_xx: unknown platform 'cisco_xx' \(did you"):
        model_table("oxidized", {"iosxe": "cisco_xx"})


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "router.db"
    path.write_bytes(b"core-1:10.0.0.1:ios\xff\n")
    with pytest.raises(InventoryError, match="not UTF-8 text"):
        read_router_db(path, "oxidized", OXIDIZED)


def test_docs_list_every_mapped_name() -> None:
    text = (Path(__file__).parents[2] / "docs" / "importing.md").read_text()
    oxidized, rancid = text.split("## RANCID")
    listed = {part: set(re.findall(r"`([a-z0-9-]+)`", part)) for part in (oxidized, rancid)}
    assert set(OXIDIZED) - listed[oxidized] == set()
    assert set(RANCID) - listed[rancid] == set()
