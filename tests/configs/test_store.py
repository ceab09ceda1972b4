"""ConfigStore.save on SQLite and PostgreSQL: versions only on real changes, redaction, validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from netraven.configs import ConfigStore
from netraven.db.models import Device
from netraven.exceptions import DeviceError, InventoryError
from netraven.simulator.configs import junos
from tests.configs.conftest import T0, Simulated, make_settings

PLATFORMS = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_volatile_lines_alone_make_no_new_version(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    simulated: Callable[[str, str], Simulated],
    platform: str,
) -> None:
    device = add_device("edge-1", platform)
    sim = simulated("edge-1", platform)
    first, second = sim.fetch(T0), sim.fetch(T0 + timedelta(hours=3))
    assert first != second  # the simulator really printed different volatile lines

    one = store.save(session, device.id, first, platform, retrieved_at=T0)
    two = store.save(session, device.id, second, platform, retrieved_at=T0 + timedelta(hours=3))

    assert (one.changed, one.version, one.previous_text) == (True, 1, None)
    assert (two.changed, two.version, two.diff, two.changed_lines) == (False, 1, "", 0)
    [info] = store.history(session, "edge-1")
    assert (info.version, info.retrieved_at, info.last_seen_at) == (1, T0, T0 + timedelta(hours=3))
    assert store.get(session, "edge-1").text == first
    assert device.last_backup_status == "success"
    assert device.last_backup_at == T0 + timedelta(hours=3)


@pytest.mark.parametrize("platform", ["cisco_ios", "juniper_junos"])
def test_a_real_change_makes_exactly_one_new_version(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    simulated: Callable[[str, str], Simulated],
    platform: str,
) -> None:
    device = add_device("core-1", platform)
    sim = simulated("core-1", platform)
    store.save(session, device.id, sim.fetch(T0), platform)
    if isinstance(sim.state, junos_state_type()):
        junos.set_statement(sim.state.candidate, "snmp location rack-7")
        sim.state.commit("nr-admin")
        added = "+    location rack-7;"
    else:
        sim.state.apply("logging host 192.0.2.99", "nr-admin")
        added = "+logging host 192.0.2.99"
    changed = store.save(session, device.id, sim.fetch(T0 + timedelta(hours=1)), platform)
    again = store.save(session, device.id, sim.fetch(T0 + timedelta(hours=2)), platform)

    assert (changed.changed, changed.version, again.changed, again.version) == (True, 2, False, 2)
    lines = changed.diff.splitlines()
    assert lines[:2] == ["--- core-1 version 1", "+++ core-1 version 2"]
    body = [line for line in lines[2:] if line[:1] in "+-"]
    assert body == [added]  # volatile header lines never show up in a diff
    assert changed.changed_lines == 1
    assert store.diff(session, "core-1") == changed.diff
    assert [v.version for v in store.history(session, device.id)] == [2, 1]
    assert store.history(session, device.id)[0].changed_lines == 1


def junos_state_type() -> type:
    from netraven.simulator.state import JunosState

    return JunosState


def test_rehashed_secret_counts_only_when_masking_is_off(
    session: Session,
    tmp_path: Path,
    add_device: Callable[..., Device],
    simulated: Callable[[str, str], Simulated],
) -> None:
    device = add_device("r1")
    text = simulated("r1", "cisco_ios").fetch(T0)
    secret = re.search(r"secret 5 (\S+)", text)
    assert secret is not None
    rehashed = text.replace(secret.group(1), "$1$zzzz$abcdefghijklmnopqrstuv")
    masking = ConfigStore(make_settings(tmp_path, mask_secrets_for_compare=True))
    assert masking.save(session, device.id, text, "cisco_ios").changed
    assert not masking.save(session, device.id, rehashed, "cisco_ios").changed
    strict = ConfigStore(make_settings(tmp_path, mask_secrets_for_compare=False))
    assert strict.save(session, device.id, rehashed, "cisco_ios").changed


@pytest.mark.parametrize("redact", [True, False])
def test_redact_stored(
    session: Session,
    tmp_path: Path,
    add_device: Callable[..., Device],
    add_run: Callable[[], int],
    simulated: Callable[[str, str], Simulated],
    redact: bool,
) -> None:
    store = ConfigStore(make_settings(tmp_path, redact_stored=redact))
    device = add_device("r1")
    raw = simulated("r1", "cisco_ios").fetch(T0)
    type7 = re.search(r"password 7 (\S+)", raw)
    community = re.search(r"snmp-server community (\S+)", raw)
    assert type7 is not None and community is not None
    run_id = add_run()

    outcome = store.save(session, device.id, raw, "cisco_ios", run_id=run_id)
    store.commit_pending(session, run_id)

    stored = store.get(session, "r1")
    in_git = store.git.read(device.id)
    assert stored.redacted is redact
    assert outcome.new_text == stored.text == in_git
    for secret in (type7.group(1), community.group(1)):
        assert (secret in stored.text) is not redact
    if redact:
        assert "password 7 <redacted>" in stored.text
    else:
        assert stored.text == raw


@pytest.mark.parametrize(
    ("bad", "kind"),
    [
        ("", "parse"),
        ("hostname r1\nend\n", "parse"),
        ("% Invalid input detected at '^' marker.\n" * 9, "command"),
    ],
)
def test_invalid_output_keeps_the_last_good_version(
    session: Session,
    store: ConfigStore,
    add_device: Callable[..., Device],
    simulated: Callable[[str, str], Simulated],
    bad: str,
    kind: str,
) -> None:
    device = add_device("r1")
    good = simulated("r1", "cisco_ios").fetch(T0)
    store.save(session, device.id, good, "cisco_ios")
    with pytest.raises(DeviceError) as caught:
        store.save(session, device.id, bad, "cisco_ios")
    assert (caught.value.kind, caught.value.host) == (kind, "r1")
    assert device.last_backup_status == "failed"
    assert [v.version for v in store.history(session, "r1")] == [1]
    assert store.get(session, "r1").text == good


def test_save_for_an_unknown_device(session: Session, store: ConfigStore) -> None:
    with pytest.raises(InventoryError, match="no device with id 999999"):
        store.save(session, 999999, "x\n" * 10, "cisco_ios")


def test_a_version_taken_by_a_concurrent_writer_is_retried(
    session: Session, store: ConfigStore, add_device: Callable[..., Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    from netraven.configs import queries
    from netraven.db.models import DeviceConfiguration

    device = add_device("r1")
    base = "hostname r1\n" + "".join(f"interface Gi{n}\n" for n in range(6))
    store.save(session, device.id, base, "cisco_ios")
    real_diff = queries.unified_diff
    calls: list[int] = []

    def racing_diff(*args: object, **kwargs: object) -> tuple[str, int]:
        if not calls:  # another worker stores version 2 between our read of the latest and our insert
            with session.begin_nested():
                session.add(
                    DeviceConfiguration(
                        device_id=device.id,
                        version=2,
                        config_text=base + "logging host 192.0.2.1\n",
                        normalized_hash="0" * 64,
                        size_bytes=1,
                        details={},
                    )
                )
        calls.append(1)
        return real_diff(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "unified_diff", racing_diff)
    outcome = store.save(session, device.id, base + "logging host 192.0.2.2\n", "cisco_ios")
    assert (outcome.changed, outcome.version, len(calls)) == (True, 3, 2)
    assert "-logging host 192.0.2.1\n+logging host 192.0.2.2\n" in outcome.diff
    assert [v.version for v in store.history(session, "r1")] == [3, 2, 1]
