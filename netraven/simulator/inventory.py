"""The fleet description written for import: one row per device, CSV or YAML."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from netraven.exceptions import ConfigError
from netraven.platforms import find
from netraven.simulator.spec import FleetSpec

FIELDS = ("hostname", "host", "port", "platform", "transport", "username", "password", "secret", "failure")


def device_rows(spec: FleetSpec) -> list[dict[str, Any]]:
    """One dict per device; every row carries the fleet's first lab credential and the secret."""
    first = spec.credentials[0]
    return [
        {
            "hostname": d.hostname,
            "host": d.host,
            "port": d.port,
            "platform": d.platform,
            "transport": d.transport,
            "username": first.username,
            "password": first.password,
            "secret": spec.secret,
            "failure": str(d.failure) if d.failure else "",
        }
        for d in spec.devices
    ]


def describe(spec: FleetSpec) -> dict[str, Any]:
    """The whole fleet: devices plus every lab credential (``auth_only=N`` devices want the Nth)."""
    return {
        "credentials": [{"username": c.username, "password": c.password} for c in spec.credentials],
        "secret": spec.secret,
        "devices": device_rows(spec),
    }


def write_inventory(path: Path, spec: FleetSpec) -> None:
    """Write the fleet to ``path``: ``.csv`` (devices only) or ``.yaml``/``.yml`` (see :func:`describe`)."""
    suffix = path.suffix.lower()
    tmp = path.with_name(path.name + ".tmp")
    if suffix == ".csv":
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(device_rows(spec))
    elif suffix in (".yaml", ".yml"):
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 2,000 rows in ms, not a second
        tmp.write_text(yaml.dump(describe(spec), Dumper=dumper, sort_keys=False), encoding="utf-8")
    else:
        raise ConfigError(f"inventory file {path} must end in .csv, .yaml or .yml")
    tmp.replace(path)


def netmiko_params(device: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """``ConnectHandler`` keyword arguments for one device row (``extra`` overrides or adds); a
    telnet device's type is netmiko's ``<platform>_telnet``."""
    device_type = device["platform"]
    if device.get("transport") == "telnet":
        entry = find(device_type)
        device_type = entry.telnet if entry is not None and entry.telnet else f"{device_type}_telnet"
    params = {
        "device_type": device_type,
        "host": device["host"],
        "port": device["port"],
        "username": device["username"],
        "password": device["password"],
        "secret": device["secret"],
    }
    return {**params, **extra}
