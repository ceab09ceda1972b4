"""Bulk import: CSV and fleet files, every row validated first, all or nothing."""

import csv
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netraven.db.models import Device, Tag, device_tags
from netraven.exceptions import InventoryError
from netraven.inventory import (
    ImportValidationError,
    add_device,
    get_device,
    import_devices,
    import_upload,
    list_tags,
)
from netraven.simulator import build_fleet
from netraven.simulator.inventory import write_inventory

SECRET = "Sup3r-Secret!"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def counts(session: Session) -> tuple[int, ...]:
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0 for t in (Device, Tag, device_tags))


def test_csv_with_aliases_tags_and_ignored_columns(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "devices.csv",
        ["Hostname", "IP", "Device_Type", "port", "tags", "description", "enabled", "password"],
        [
            ["core-1", "10.0.0.1", "cisco_ios", "", "core;site-a", "Core one", "", SECRET],
            ["edge-1", "edge-1.example.net", "juniper_junos", "830", "site-a|edge", "", "no", SECRET],
        ],
    )
    report = import_devices(session, path, default_tags=["imported"])
    assert report.to_dict() == {"total": 2, "created": 2, "updated": 0, "tags_created": 4}
    core, edge = get_device(session, "core-1"), get_device(session, "edge-1")
    assert (core.port, core.enabled, core.description, core.tag_names()) == (
        22,
        True,
        "Core one",
        ["core", "imported", "site-a"],
    )
    assert (edge.host, edge.port, edge.enabled, edge.description) == ("edge-1.example.net", 830, False, None)
    assert {t.name: n for t, n in list_tags(session)} == {"core": 1, "edge": 1, "imported": 2, "site-a": 2}


def test_simulator_fleet_yaml_and_csv(session: Session, tmp_path: Path) -> None:
    spec = build_fleet(6, platforms=("cisco_ios", "juniper_junos", "arista_eos"))
    write_inventory(tmp_path / "fleet.yaml", spec)
    write_inventory(tmp_path / "fleet.csv", spec)
    assert import_devices(session, tmp_path / "fleet.yaml", default_tags=["lab"]).created == 6
    device = get_device(session, spec.devices[0].hostname)
    assert (device.host, device.port, device.platform) == (
        spec.devices[0].host,
        spec.devices[0].port,
        spec.devices[0].platform,
    )
    report = import_devices(session, tmp_path / "fleet.csv", update=True)
    assert (report.created, report.updated) == (0, 6)
    assert device.tag_names() == ["lab"]  # no tags field in the file: the device keeps its tags


def test_plain_list_yaml_and_json(session: Session, tmp_path: Path) -> None:
    rows = [{"hostname": "r1", "address": "10.0.0.1", "platform": "cisco_ios", "tags": ["a", "b"]}]
    (tmp_path / "list.yaml").write_text(yaml.safe_dump(rows))
    (tmp_path / "wrapped.json").write_text(json.dumps({"devices": [{**rows[0], "hostname": "r2"}]}))
    assert import_devices(session, tmp_path / "list.yaml").created == 1
    assert import_devices(session, tmp_path / "wrapped.json").created == 1
    assert get_device(session, "r2").tag_names() == ["a", "b"]


def test_every_bad_row_reported_and_nothing_written(session: Session, tmp_path: Path) -> None:
    add_device(session, "existing", "10.9.9.9", "cisco_ios")
    before = counts(session)
    path = write_csv(
        tmp_path / "bad.csv",
        ["hostname", "host", "platform", "port", "tags", "secret"],
        [
            ["ok-1", "10.0.0.1", "cisco_ios", "22", "new-tag", SECRET],
            ["bad-1", "300.1.1.1", "cisco_iso", "22", "", SECRET],
            ["bad-2", "bad host!", "cisco_ios", "99999", "", SECRET],
            ["ok-1", "10.0.0.2", "cisco_ios", "", "", SECRET],
            ["existing", "10.0.0.3", "cisco_ios", "", "", SECRET],
            ["", "10.0.0.4", "foo", "", "", SECRET],
        ],
    )
    with pytest.raises(ImportValidationError) as caught:
        import_devices(session, path, default_tags=["imported"])
    assert str(caught.value) == "5 of 6 rows are invalid; nothing was imported"
    assert list(caught.value.errors) == [
        "row 2: bad address '300.1.1.1': not a valid IPv4 address",
        "row 2: unknown platform 'cisco_iso' (did you mean cisco_ios?)",
        "row 3: bad address 'bad host!': must be an IPv4/IPv6 address or a valid DNS hostname",
        "row 3: port 99999 is outside 1-65535",
        "row 4: duplicate hostname 'ok-1' (also row 1)",
        "row 5: a device named 'existing' already exists",
        "row 6: hostname is empty",
        "row 6: unknown platform 'foo' (expected a netmiko device type such as cisco_ios)",
    ]
    assert SECRET not in str(caught.value) and not any(SECRET in e for e in caught.value.errors)
    assert counts(session) == before


def test_update_existing(session: Session, tmp_path: Path) -> None:
    add_device(session, "r1", "10.0.0.1", "cisco_ios", tags=["old"], description="keep?")
    path = write_csv(tmp_path / "u.csv", ["hostname", "host", "platform", "tags"], [
        ["r1", "10.0.0.9", "cisco_nxos", "new"], ["r2", "10.0.0.2", "cisco_ios", ""]])  # fmt: skip
    report = import_devices(session, path, default_tags=["imp"], update=True)
    assert (report.created, report.updated, report.tags_created) == (1, 1, 2)
    device = get_device(session, "r1")
    assert (device.host, device.platform, device.description, device.tag_names()) == (
        "10.0.0.9", "cisco_nxos", "keep?", ["imp", "new"])  # fmt: skip
    assert get_device(session, "r2").tag_names() == ["imp"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.txt", "", "expected a file ending in .csv, .yaml, .yml, .json"),
        ("empty.csv", "", "no devices found"),
        ("header.csv", "name,host,platform\nr1,10.0.0.1,cisco_ios\n", "no 'hostname' field in any row"),
        ("bad.yaml", "devices: [\n", "is not valid YAML"),
        ("bad.json", "{", "is not valid JSON"),
        ("scalar.yaml", "devices: 3\n", "expected a list of devices"),
    ],
)
def test_bad_files(session: Session, tmp_path: Path, name: str, content: str, message: str) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(InventoryError, match=message):
        import_devices(session, tmp_path / name)


def test_non_mapping_rows(session: Session, tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text("- hostname: r1\n  host: 10.0.0.1\n  platform: cisco_ios\n- just text\n")
    with pytest.raises(ImportValidationError) as caught:
        import_devices(session, tmp_path / "f.yaml")
    assert caught.value.errors == ("row 2: expected a mapping of device fields, got str",)


def test_ten_thousand_rows(session: Session, tmp_path: Path) -> None:
    rows = [
        [f"r{i:05d}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "cisco_ios", f"site-{i % 10}"]
        for i in range(10_000)
    ]
    path = write_csv(tmp_path / "big.csv", ["hostname", "host", "platform", "tags"], rows)
    report = import_devices(session, path, default_tags=["bulk"])
    assert report.to_dict() == {"total": 10_000, "created": 10_000, "updated": 0, "tags_created": 11}
    assert counts(session) == (10_000, 11, 20_000)
    assert get_device(session, "r09999").tag_names() == ["bulk", "site-9"]
    with pytest.raises(ImportValidationError) as caught:
        import_devices(session, path)
    assert len(caught.value.errors) == 10_000


def test_an_upload_is_imported_by_its_name_s_suffix(session: Session) -> None:
    content = b"hostname,host,platform\nup-1,10.0.0.1,cisco_ios\n"
    report = import_upload(session, "fleet.CSV", content, ["uploaded"])
    assert (report.total, report.created) == (1, 1)
    assert get_device(session, "up-1").tag_names() == ["uploaded"]
    with pytest.raises(InventoryError, match=r"^file 'fleet.txt': expected a name ending in") as caught:
        import_upload(session, "../fleet.txt", content)
    assert caught.value.field == "file"
    with pytest.raises(ImportValidationError) as bad:
        import_upload(
            session, "bad.csv", b"hostname,host,platform\nup-2,300.1.1.1,cisco_ios\nup-1,10.0.0.2,x\n"
        )
    assert bad.value.errors[0].startswith("row 1: ") and len(bad.value.errors) >= 2
    with pytest.raises(InventoryError) as tags:
        import_upload(session, "fleet.csv", content, ["a|b"])
    assert tags.value.field == "default_tags"
    assert counts(session)[0] == 1
