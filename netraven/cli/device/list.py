"""``netraven device list``."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

import click

from netraven.cli.application import Application


@click.command("list")
@click.option("--tag", "tags", multiple=True, help="Only devices with this tag (repeatable: all of them).")
@click.option("--platform", help="Only devices of this netmiko device type.")
@click.option("--enabled/--disabled", default=None, help="Only enabled (or disabled) devices.")
@click.option("--unreachable", is_flag=True, help="Only devices their last reachability check missed.")
@click.option("--os-version", help="Only devices whose OS version (a fact) starts with this.")
@click.option("--model", help="Only devices whose model (a fact) starts with this.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many devices.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many devices first.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(
    app: Application,
    tags: tuple[str, ...],
    platform: str | None,
    enabled: bool | None,
    unreachable: bool,
    os_version: str | None,
    model: str | None,
    limit: int | None,
    offset: int,
    as_json: bool,
) -> None:
    """List devices by hostname, printed as they are read (--limit and --offset page through them).

    Reach is the last reachability check (``netraven run reachability --all``); Circuit is the
    circuit breaker of backup and command runs (open: skipped until the time shown).
    """
    from netraven.cli.streaming import StreamedTable, print_json_array
    from netraven.inventory.streaming import stream_devices

    with app.connect() as connection:
        only = True if unreachable else None
        devices = stream_devices(
            connection, tags, platform, enabled, limit, offset, only, os_version=os_version, model=model
        )
        if as_json:
            print_json_array(devices)
            return
        table = StreamedTable("Hostname", "Host", "Port", "Platform", "OS version", "Model", "Enabled",
                              "Tags", "Reach", "Circuit", "Description")  # fmt: skip
        for d in devices:
            table.add_row(d["hostname"], d["host"], d["port"], d["platform"], d["os_version"] or "",
                          d["model"] or "", "yes" if d["enabled"] else "no", ", ".join(d["tags"]),
                          reach(d, app.tz), circuit(d, app.tz),
                          d["description"] or "")  # fmt: skip
        count = table.close()
    more = f" (from offset {offset})" if offset else ""
    click.echo(f"{count} device(s){more}")


def reach(device: dict[str, Any], tz: tzinfo) -> str:
    """``up 0.4 ms``, ``down since 2026-12-02 05:10``, or ``-`` (never checked)."""
    if device["reachability"] == "reachable":
        return f"up {device['latency_ms']:g} ms" if device["latency_ms"] is not None else "up"
    if device["reachability"] == "unreachable":
        since = device["unreachable_since"] or device["reachability_at"]
        return f"down since {_short(since, tz)}"
    return "-"


def circuit(device: dict[str, Any], tz: tzinfo) -> str:
    """``closed``, ``open until 05:25``, ``half-open`` (a trial run decides)."""
    state = device["circuit"]
    if state == "open" and device["circuit_retry_at"] is not None:
        return f"open until {_short(device['circuit_retry_at'], tz)}"
    return str(state).replace("_", "-")


def _short(when: datetime | None, tz: tzinfo) -> str:
    return f"{when.astimezone(tz):%Y-%m-%d %H:%M}" if when is not None else "?"
