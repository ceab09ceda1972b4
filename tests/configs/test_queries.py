"""history, get, diff and search over stored versions, including a device with 10,000 versions."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore, config_hash
from netraven.configs.compare import compare, compare_lines
from netraven.db.models import Device, DeviceConfiguration
from netraven.exceptions import InventoryError, NetRavenError
from tests.configs.conftest import T0

BASE = "hostname {host}\ninterface Gi1\n description uplink\n ip address 10.0.0.1 255.255.255.0\n!\n"


def config(host: str, *extra: str) -> str:
    return BASE.format(host=host) + "".join(f"{line}\n" for line in extra) + "end\n"


@pytest.fixture
def three_versions(session: Session, store: ConfigStore, add_device: Callable[..., Device]) -> Device:
    device = add_device("r1")
    for n, extra in enumerate([(), ("logging host 192.0.2.1",), ("logging host 192.0.2.2",)]):
        store.save(
            session, device.id, config("r1", *extra), "cisco_ios", retrieved_at=T0 + timedelta(hours=n)
        )
    return device


def test_history_get_and_diff(session: Session, store: ConfigStore, three_versions: Device) -> None:
    infos = store.history(session, "r1")
    assert [i.version for i in infos] == [3, 2, 1]
    assert [i.changed_lines for i in infos] == [2, 1, None]
    assert infos[0].retrieved_at == T0 + timedelta(hours=2)
    assert infos[0].size_bytes == len(config("r1", "logging host 192.0.2.2"))
    assert store.history(session, three_versions.id) == infos

    assert store.get(session, "r1").version == 3
    assert store.get(session, three_versions.id, 1).text == config("r1")

    assert store.diff(session, "r1").splitlines()[:2] == ["--- r1 version 2", "+++ r1 version 3"]
    assert "-logging host 192.0.2.1\n+logging host 192.0.2.2\n" in store.diff(session, "r1")
    full = store.diff(session, "r1", 1, 3)
    assert full.startswith("--- r1 version 1\n+++ r1 version 3\n")
    assert "+logging host 192.0.2.2\n" in full and "192.0.2.1" not in full
    assert store.diff(session, "r1", v2=2).startswith("--- r1 version 1\n+++ r1 version 2\n")
    assert store.diff(session, "r1", v1=1).startswith("--- r1 version 1\n+++ r1 version 3\n")


def test_lookup_errors(session: Session, store: ConfigStore, three_versions: Device) -> None:
    with pytest.raises(InventoryError, match="no device named 'nope'"):
        store.history(session, "nope")
    with pytest.raises(InventoryError, match="no device with id 999999"):
        store.get(session, 999999)
    with pytest.raises(InventoryError, match="device 'r1' has no version 7"):
        store.get(session, "r1", 7)
    with pytest.raises(InventoryError, match="device 'r1' has no version 9"):
        store.diff(session, "r1", 1, 9)


def test_diff_needs_two_versions(
    session: Session, store: ConfigStore, add_device: Callable[..., Device]
) -> None:
    device = add_device("lonely")
    with pytest.raises(InventoryError, match="has no stored config"):
        store.get(session, "lonely")
    store.save(session, device.id, config("lonely"), "cisco_ios")
    with pytest.raises(InventoryError, match="fewer than two versions"):
        store.diff(session, "lonely")


def test_search_latest_configs_with_context(
    session: Session, store: ConfigStore, three_versions: Device, add_device: Callable[..., Device]
) -> None:
    other = add_device("r2")
    store.save(session, other.id, config("r2", "logging host 192.0.2.1"), "cisco_ios")

    matches = store.search(session, r"^logging host")
    assert [(m.hostname, m.version, m.line) for m in matches] == [
        ("r1", 3, "logging host 192.0.2.2"),
        ("r2", 1, "logging host 192.0.2.1"),
    ]
    # r1's version 2 has this line, but only latest versions are searched
    assert [m.hostname for m in store.search(session, r"192\.0\.2\.1$")] == ["r2"]

    matches = store.search(session, r"description uplink", context=1)
    assert [m.hostname for m in matches] == ["r1", "r2"]
    assert matches[0].line_number == 3
    assert matches[0].before == ("interface Gi1",)
    assert matches[0].after == (" ip address 10.0.0.1 255.255.255.0",)
    assert store.search(session, "^hostname", context=5)[0].before == ()


def test_search_with_a_bad_regex(session: Session, store: ConfigStore) -> None:
    with pytest.raises(NetRavenError, match=r"invalid regular expression '\(unclosed'") as caught:
        store.search(session, "(unclosed")
    assert "\n" not in str(caught.value)
    assert caught.value.field == "pattern"  # a form shows it next to the pattern
    with pytest.raises(NetRavenError, match=r"^the pattern is longer than 1000 characters$") as long:
        store.search(session, "a" * 1001)
    assert long.value.field == "pattern"


@pytest.mark.timeout(60)  # Python's re took over 60 s on 8 configs here (#13): the test would time out
def test_a_catastrophic_pattern_is_searched_in_linear_time(
    session: Session, store: ConfigStore, add_device: Callable[..., Device]
) -> None:
    words = " ".join(f"word{n}" for n in range(40))
    for n in range(8):
        device = add_device(f"r{n}")
        store.save(session, device.id, config(f"r{n}", f"alias exec {words} !"), "cisco_ios")
    started = time.perf_counter()
    matches = store.search(session, r"^(\w+\s?)*$")
    assert time.perf_counter() - started < 2
    assert {m.line for m in matches} >= {"end", "interface Gi1"}
    assert not any("!" in m.line for m in matches)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(\d+)\.\1", "invalid escape sequence: \\1"),
        (r"snmp(?!-server)", "invalid perl operator: (?!"),
        (r"(?<=ip )address", "invalid perl operator: (?<="),
    ],
)
def test_patterns_that_need_backtracking_are_refused_in_one_line(
    session: Session, store: ConfigStore, pattern: str, reason: str
) -> None:
    with pytest.raises(NetRavenError) as caught:
        store.search(session, pattern)
    assert str(caught.value) == (
        f"invalid regular expression {pattern!r}: {reason} "
        "(RE2 syntax: no backreferences, lookarounds or possessive quantifiers)"
    )


def test_ten_thousand_versions(
    session: Session, store: ConfigStore, add_device: Callable[..., Device]
) -> None:
    device = add_device("busy")
    rows = []
    for n in range(1, 10_001):
        text = config("busy", f"logging host 192.0.{n // 250}.{n % 250}")
        rows.append(
            {
                "device_id": device.id,
                "version": n,
                "config_text": text,
                "normalized_hash": config_hash(text),
                "retrieved_at": T0 + timedelta(minutes=n),
                "last_seen_at": T0 + timedelta(minutes=n),
                "size_bytes": len(text),
                "redacted": False,
                "changed_lines": 2,
                "details": {},
            }
        )
    session.execute(insert(DeviceConfiguration), rows)

    infos = store.history(session, "busy")
    assert len(infos) == 10_000
    assert [i.version for i in infos[:3]] == [10_000, 9_999, 9_998] and infos[-1].version == 1
    assert infos[0].retrieved_at == T0 + timedelta(minutes=10_000)
    assert store.diff(session, "busy").splitlines()[:2] == ["--- busy version 9999", "+++ busy version 10000"]
    assert store.get(session, "busy").version == 10_000

    outcome = store.save(session, device.id, config("busy", "logging host 198.51.100.1"), "cisco_ios")
    assert (outcome.changed, outcome.version, outcome.changed_lines) == (True, 10_001, 2)


def test_history_and_search_are_paged_and_counted(session: Session, three_versions: Device) -> None:
    from netraven.configs.queries import page_history, page_search

    page = page_history(session, "r1", limit=2, offset=1)
    assert [v.version for v in page.items] == [2, 1] and (page.total, page.limit, page.offset) == (3, 2, 1)
    found = page_search(session, r"^interface|^hostname", limit=1, offset=1)
    assert [m.line for m in found.items] == ["interface Gi1"] and found.total == 2
    with pytest.raises(InventoryError, match="limit 0 must be an integer from 1 to 1000"):
        page_history(session, "r1", limit=0)
    with pytest.raises(NetRavenError, match="context 101 must be an integer from 0 to 100"):
        page_search(session, "x", context=101)


def test_readers_who_may_not_see_secrets_get_them_masked_everywhere(
    session: Session, store: ConfigStore, add_device: Callable[..., Device]
) -> None:
    from netraven.configs.queries import diff, get, page_search

    device = add_device("r9")
    for n, secret in enumerate(("0822455D0A16", "1511021F0725")):  # a new line makes each a version
        store.save(session, device.id, config("r9", f"username u{n} password 7 {secret}"), "cisco_ios")
    assert "0822455D0A16" in get(session, "r9", 1).text
    assert "0822455D0A16" not in get(session, "r9", 1, reveal=False).text
    assert "password 7 <redacted>" in get(session, "r9", 1, reveal=False).text
    assert "1511021F0725" in diff(session, "r9")
    hidden = diff(session, "r9", reveal=False)
    assert "1511021F0725" not in hidden and "0822455D0A16" not in hidden
    probe = r"password 7 15"  # a pattern probing the secret finds nothing in the masked text
    assert page_search(session, probe).total == 1 and page_search(session, probe, reveal=False).total == 0


def test_compare_gives_side_by_side_rows_and_unified_lines(
    session: Session, store: ConfigStore, three_versions: Device
) -> None:
    found = compare(session, "r1", 1, 3, context=1)
    assert (found.hostname, found.old_version, found.new_version, found.added, found.removed) == (
        "r1", 1, 3, 1, 0
    )  # fmt: skip
    assert [(line.sign, line.text) for line in found.lines] == [
        ("@", "@@ -5,2 +5,3 @@"),
        (" ", "!"),
        ("+", "logging host 192.0.2.2"),
        (" ", "end"),
    ]
    assert [(r.kind, r.old_number, r.new_number, r.new) for r in found.rows] == [
        ("same", 5, 5, "!"),
        ("added", None, 6, "logging host 192.0.2.2"),
        ("same", 6, 7, "end"),
    ]
    changed = compare(session, three_versions.id, 2, 3, context=0)
    assert [(r.kind, r.old, r.new) for r in changed.rows] == [
        ("changed", "logging host 192.0.2.1", "logging host 192.0.2.2")
    ]
    assert compare(session, "r1", 3, 3).rows == ()
    with pytest.raises(InventoryError, match="device 'r1' has no version 9") as caught:
        compare(session, "r1", 1, 9)
    assert caught.value.field == "version"
    with pytest.raises(InventoryError, match="context 101"):
        compare(session, "r1", 1, 2, context=101)


def test_compare_masks_secrets_unless_revealed(
    session: Session, store: ConfigStore, add_device: Callable[..., Device]
) -> None:
    device = add_device("s1")
    for n, secret in enumerate(
        ("enable secret 5 $1$abc$OLDHASHOLDHASH", "enable secret 5 $1$abc$NEWHASHNEWHASH")
    ):
        store.save(
            session, device.id, config("s1", secret, f"logging host 192.0.2.{n}"), "cisco_ios",
            retrieved_at=T0 + timedelta(hours=n),
        )  # fmt: skip
    masked_view = compare(session, "s1", 1, 2)
    assert "HASH" not in "".join(line.text for line in masked_view.lines)
    revealed = compare(session, "s1", 1, 2, reveal=True)
    assert "$1$abc$NEWHASHNEWHASH" in "".join(line.text for line in revealed.lines)


def test_compare_lines_separates_hunks_with_a_gap() -> None:
    old = [f"line {n}" for n in range(20)]
    new = [*old[:2], "new 2", *old[3:17], "new 17", *old[18:]]
    rows, lines = compare_lines(old, new, context=1)
    assert [r.kind for r in rows] == ["same", "changed", "same", "gap", "same", "changed", "same"]
    assert [line.text for line in lines if line.sign == "@"] == ["@@ -2,3 +2,3 @@", "@@ -17,3 +17,3 @@"]
