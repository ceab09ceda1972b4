"""Devices' last reachability check: recorded from a ``reachability`` run, read by listings and runs.

A check finds a device ``reachable`` (its management port accepted a connection, and answered when
the banner is awaited) or ``unreachable``. ``unreachable_since`` keeps the first failed check of
the current outage, so runs that log in can skip devices down for long
(``reachability.skip_unreachable_after``); a reachable device closes its circuit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, update
from sqlalchemy.orm import Session

from netraven.db import core
from netraven.inventory.circuit import close_circuits

REACHABLE, UNREACHABLE = "reachable", "unreachable"

_devices = core.devices
_ONE = update(_devices).where(_devices.c.id == bindparam("device_id"))
_REACHED = _ONE.values(
    reachability=REACHABLE,
    reachability_at=bindparam("at"),
    latency_ms=bindparam("latency"),
    unreachable_since=None,
)
_MISSED = _ONE.values(
    reachability=UNREACHABLE,
    reachability_at=bindparam("at"),
    latency_ms=None,
    unreachable_since=func.coalesce(_devices.c.unreachable_since, bindparam("at")),
)


@dataclass(frozen=True)
class Check:
    """One device's check: reachable or not, its TCP connect time (ms) if reachable, when."""

    device_id: int
    reachable: bool
    latency_ms: float | None
    at: datetime


def record_checks(session: Session, checks: Iterable[Check]) -> int:
    """Store ``checks`` on their devices (in id order) and close the circuits of the reachable ones."""
    ordered = sorted(checks, key=lambda check: check.device_id)
    reached = [
        {"device_id": c.device_id, "at": c.at, "latency": c.latency_ms} for c in ordered if c.reachable
    ]
    missed = [{"device_id": c.device_id, "at": c.at} for c in ordered if not c.reachable]
    if reached:
        session.execute(_REACHED, reached)
    if missed:
        session.execute(_MISSED, missed)
    close_circuits(session, (c.device_id for c in ordered if c.reachable))
    return len(ordered)
