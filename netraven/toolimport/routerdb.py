"""Reading the ``router.db`` files of Oxidized and RANCID into device records; no database.

Oxidized (its CSV source with the map ``name:0 ip:1 model:2 username:3 password:4`` and
``vars_map enable:5``)::

    core-1:10.0.0.1:ios:backup:s3cret:en4ble     # name:ip:model[:username:password[:enable]]
    edge-1::junos                                # no ip: the name is the address

RANCID 3 (``name;type;state[;comment]``; RANCID 2 separated with ``:``)::

    core-1.example.net;cisco;up
    old-1.example.net;cisco-nx;down;waiting for RMA

Blank lines and ``#`` comments are skipped. A device RANCID does not collect (a state other than
``up``) is imported disabled. Problems name the line, never its secrets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netraven.exceptions import InventoryError
from netraven.inventory.validation import check_name, show
from netraven.toolimport.models import resolve_model

FORMATS = ("oxidized", "rancid")


@dataclass(frozen=True)
class Login:
    """The credentials a line gives (Oxidized's username, password and enable fields)."""

    username: str
    password: str = field(repr=False)
    enable: str | None = field(default=None, repr=False)


@dataclass
class RouterDb:
    """A parsed file: device records and their line numbers, the problems of lines left out, and
    the logins of the lines that give one (by hostname)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    logins: dict[str, Login] = field(default_factory=dict)


def read_router_db(path: Path, tool: str, table: Mapping[str, str], delimiter: str | None = None) -> RouterDb:
    """The devices of ``tool``'s (``oxidized`` or ``rancid``) file at ``path``; models by ``table``."""
    if tool not in FORMATS:
        raise InventoryError(f"format {tool!r}: expected one of {', '.join(FORMATS)}", field="format")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InventoryError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InventoryError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    parse = _oxidized if tool == "oxidized" else _rancid
    found = RouterDb()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            record, login = parse(line, table, delimiter)
        except InventoryError as exc:
            found.problems.append((number, str(exc)))
            continue
        found.records.append(record)
        found.lines.append(number)
        if login is not None:
            found.logins[str(record["hostname"]).strip()] = login
    return found


def _oxidized(
    line: str, table: Mapping[str, str], delimiter: str | None
) -> tuple[dict[str, Any], Login | None]:
    sep = delimiter or ":"
    fields = [part.strip() for part in line.split(sep)]
    if not 3 <= len(fields) <= 6:
        hint = " (an IPv6 address? give another --delimiter)" if sep == ":" and len(fields) > 6 else ""
        raise InventoryError(
            f"expected name{sep}ip{sep}model[{sep}username{sep}password[{sep}enable]], "
            f"got {len(fields)} {sep!r}-separated fields{hint}"
        )
    name, ip, model = fields[:3]
    record = {"hostname": name, "host": ip or name, "platform": resolve_model("oxidized", table, model)}
    username, password, enable = [*fields[3:], "", "", ""][:3]
    if enable.lower() in ("true", "false"):  # Oxidized's "enable: true": enable mode, no secret
        enable = ""
    if not (username or password or enable):
        return record, None
    if not username:
        raise InventoryError("a password or enable secret without a username")
    if not password:
        raise InventoryError(f"username {show(username)} without a password")
    return record, Login(check_name(username, "username"), password, enable or None)


def _rancid(line: str, table: Mapping[str, str], delimiter: str | None) -> tuple[dict[str, Any], None]:
    sep = delimiter or (";" if ";" in line else ":")  # RANCID 2 separated with ':'
    fields = [part.strip() for part in line.split(sep)]
    if len(fields) < 3 or (sep != ";" and len(fields) > 4):
        raise InventoryError(
            f"expected name;type;state[;comment], got {len(fields)} {sep!r}-separated fields"
        )
    name, kind, state = fields[:3]
    if not state:
        raise InventoryError("no state (up or down)")
    comment = sep.join(fields[3:]).strip()
    record = {
        "hostname": name,
        "host": name,
        "platform": resolve_model("rancid", table, kind),
        "enabled": state.lower() == "up",
    }
    if comment:
        record["description"] = comment
    elif state.lower() != "up":
        record["description"] = f"RANCID state: {state}"
    return record, None
