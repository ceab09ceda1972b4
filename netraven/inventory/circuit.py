"""The per-device circuit breaker of runs that log in: dead devices are skipped instead of waited for.

``circuit.failures`` connection or timeout failures in a row (authentication failures never count:
the device answered) open a device's circuit. Runs then skip it at once (``skipped``, kind
``circuit_open``) until ``circuit.cooldown`` has passed; the next run then tries it once
(half-open: other runs still skip it until that trial decides). The trial's success closes the
circuit, its connection or timeout failure opens it for another cooldown. A successful
reachability check (:func:`netraven.inventory.reachability.record_checks`) or :func:`reset_circuit`
closes it too::

    closed --N failures--> open --cooldown--> half_open --success--> closed
                            ^                     |
                            +------failure--------+
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from netraven import audit
from netraven.db.base import utcnow
from netraven.db.models import Device
from netraven.exceptions import SkipKind
from netraven.inventory.devices import get_device
from netraven.settings import Settings

CircuitState = Literal["closed", "open", "half_open"]
CLOSED: CircuitState = "closed"
#: The error kinds that count toward opening a circuit: the device did not answer.
DEAD_KINDS = frozenset({"connection", "timeout"})


@dataclass(frozen=True)
class Skip:
    """A device a run skips without touching it, and why (a one-line message naming it)."""

    device_id: int
    hostname: str
    platform: str
    kind: SkipKind
    message: str


@dataclass(frozen=True)
class Circuit:
    """A device's circuit: its state, failures in a row, and when it is tried again (open, half-open)."""

    state: CircuitState = CLOSED
    failures: int = 0
    retry_at: datetime | None = None


def next_circuit(
    circuit: Circuit, status: str, kind: str | None, now: datetime, settings: Settings
) -> Circuit:
    """The circuit after a host of a run that logs in ended ``status`` (with error ``kind``).

    A skipped host changes nothing; a connection or timeout failure counts, and opens the circuit
    at ``circuit.failures`` in a row or at once when it was a half-open trial; anything else (a
    success, a login refused, a command error) means the device answered, and closes it.
    """
    if status == "skipped":
        return circuit
    if status == "failed" and kind in DEAD_KINDS:
        failures = circuit.failures + 1
        if circuit.state == "half_open" or failures >= settings.circuit.failures:
            return Circuit("open", failures, now + timedelta(seconds=settings.circuit.cooldown))
        return Circuit(circuit.state, failures, circuit.retry_at)
    return Circuit()


def record_outcomes(
    session: Session, outcomes: Iterable[tuple[int | None, str, str | None]], settings: Settings,
    now: datetime | None = None,
) -> int:  # fmt: skip
    """Move the circuits of the devices of ``outcomes`` (device id, host status, error kind).

    Reads the devices' circuits (locked, in id order, like every writer of device rows) and
    writes only those that change; returns how many changed. Does nothing when ``circuit.enabled``
    is off.
    """
    if not settings.circuit.enabled:
        return 0
    ended = {device_id: (status, kind) for device_id, status, kind in outcomes if device_id is not None}
    if not ended:
        return 0
    now = now or utcnow()
    columns = (Device.id, Device.circuit, Device.circuit_failures, Device.circuit_retry_at)
    query = select(*columns).where(Device.id.in_(ended)).order_by(Device.id).with_for_update()
    changes = []
    for device_id, state, failures, retry_at in session.execute(query):
        before = Circuit(_state(state), failures, retry_at)
        after = next_circuit(before, *ended[device_id], now, settings)
        if after != before:
            changes.append({"id": device_id, "circuit": after.state, "circuit_failures": after.failures,
                            "circuit_retry_at": after.retry_at})  # fmt: skip
    if changes:
        session.execute(update(Device), changes)
    return len(changes)


def gate_devices(
    session: Session, device_ids: Sequence[int], settings: Settings, now: datetime | None = None
) -> dict[int, Skip]:
    """The devices of ``device_ids`` a run that logs in must skip, by id, with why.

    An open circuit whose cooldown has passed lets this run through as its trial (half-open until
    the trial's result; other runs skip the device meanwhile, for at most one more cooldown). With
    ``reachability.skip_unreachable_after`` set, a device unreachable for longer is skipped too.
    Call it in its own transaction: the trials it grants are committed with it.
    """
    now = now or utcnow()
    after = settings.reachability.skip_unreachable_after
    suspects = [Device.unreachable_since <= now - timedelta(seconds=after)] if after > 0 else []
    if settings.circuit.enabled:
        suspects.append(Device.circuit != CLOSED)
    if not suspects:
        return {}
    columns = (Device.id, Device.hostname, Device.platform, Device.circuit, Device.circuit_failures,
               Device.circuit_retry_at, Device.unreachable_since)  # fmt: skip
    wanted = set(device_ids)
    query = select(*columns).where(or_(*suspects)).order_by(Device.id).with_for_update()
    skips: dict[int, Skip] = {}
    trials: list[int] = []
    for device_id, hostname, platform, state, failures, retry_at, since in session.execute(query):
        if device_id not in wanted:
            continue
        if settings.circuit.enabled and state != CLOSED:
            if retry_at is not None and retry_at > now:
                trial = state == "half_open"
                why = "a trial run is deciding" if trial else f"after {failures} failures in a row"
                message = f"{hostname}: circuit open ({why}); retried after {_at(retry_at)}"
                skips[device_id] = Skip(device_id, hostname, platform, "circuit_open", message)
                continue
            trials.append(device_id)
        if since is not None and after > 0 and since <= now - timedelta(seconds=after):
            message = (
                f"{hostname}: unreachable since {_at(since)}, over "
                f"reachability.skip_unreachable_after ({after:g} s)"
            )
            skips[device_id] = Skip(device_id, hostname, platform, "unreachable", message)
    granted = [device_id for device_id in trials if device_id not in skips]
    if granted:
        trial_ends = now + timedelta(seconds=settings.circuit.cooldown)
        session.execute(update(Device), [
            {"id": device_id, "circuit": "half_open", "circuit_retry_at": trial_ends} for device_id in granted
        ])  # fmt: skip
    return skips


def reset_circuit(session: Session, hostname_or_id: str | int) -> str:
    """Close the circuit of one device (``netraven device reset``); return its state before.

    The next run that logs in tries the device again.
    """
    device = get_device(session, hostname_or_id)
    before = device.circuit
    device.circuit, device.circuit_failures, device.circuit_retry_at = CLOSED, 0, None
    audit.record(session, "device.reset", "device", device.hostname, {"circuit": [before, CLOSED]})
    return before


def close_circuits(session: Session, device_ids: Iterable[int]) -> None:
    """Close the circuits of ``device_ids`` (devices found reachable), those not closed already."""
    ids = sorted(set(device_ids))
    if not ids:
        return
    session.execute(
        update(Device)
        .where(Device.id.in_(ids), or_(Device.circuit != CLOSED, Device.circuit_failures != 0))
        .values(circuit=CLOSED, circuit_failures=0, circuit_retry_at=None),
        execution_options={"synchronize_session": False},
    )


def _state(value: str) -> CircuitState:
    return "open" if value == "open" else "half_open" if value == "half_open" else CLOSED


def _at(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")
