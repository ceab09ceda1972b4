"""Checks of single device and tag fields; each returns the normalised value or raises InventoryError.

Messages are one line and show the offending value with ``repr`` (so a newline in it cannot break
the line), cut to a readable length.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from netraven.exceptions import InventoryError, NetRavenError
from netraven.platforms import closest_platform, find, known_platforms

MAX_COMMAND = 255
MAX_NAME = 255
MAX_TAG_TYPE = 50
TAG_SEPARATORS = re.compile(r"[;|]")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TRUE = frozenset({"1", "true", "yes", "on", "y"})
_FALSE = frozenset({"0", "false", "no", "off", "n"})
# Control, format (bidi overrides, zero-width), surrogate, line and paragraph separator characters:
# in a name they forge log lines, move the terminal's cursor or make the name impossible to type.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
T = TypeVar("T")


def show(value: object, limit: int = 60) -> str:
    """``repr`` of ``value`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def unprintable(text: str) -> str | None:
    """The first control or other unprintable character of ``text``, as ``U+XXXX``; None if none."""
    for char in text:
        if unicodedata.category(char) in _UNPRINTABLE:
            return f"U+{ord(char):04X}"
    return None


def checked(field: str, check: Callable[[object], T], value: object) -> T:
    """``check(value)``, its InventoryError naming ``field`` (the input at fault, for a form)."""
    try:
        return check(value)
    except InventoryError as exc:
        exc.field = exc.field or field
        raise


def check_hostname(value: object) -> str:
    """A device's name: non-empty text of at most 255 characters, surrounding spaces removed."""
    return check_name(value, "hostname")


def check_address(value: object) -> str:
    """An IPv4 or IPv6 address (returned in canonical form) or a DNS hostname (RFC 1123)."""
    text = check_text(value, "address")
    if not text:
        raise InventoryError("address is empty")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    if all(label.isdigit() for label in labels):
        raise InventoryError(f"bad address {show(text)}: not a valid IPv4 address")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InventoryError(
            f"bad address {show(text)}: must be an IPv4/IPv6 address or a valid DNS hostname"
        )
    return name.lower()


def check_platform(value: object) -> str:
    """A netmiko device type such as ``cisco_ios``; case and surrounding spaces are ignored."""
    platform = check_text(value, "platform").lower()
    if not platform:
        raise InventoryError("platform is empty")
    if platform not in known_platforms():
        close = closest_platform(platform)
        hint = f"did you mean {close}?" if close else "expected a netmiko device type such as cisco_ios"
        raise InventoryError(f"unknown platform {show(platform)} ({hint})")
    return platform


TRANSPORTS = ("ssh", "telnet")


def check_transport(value: object) -> str | None:
    """``ssh``, ``telnet``, or None (blank: the device's tags decide, else SSH)."""
    transport = check_text(value, "transport").lower() if value is not None else ""
    if transport and transport not in TRANSPORTS:
        raise InventoryError(f"transport {show(transport)} must be ssh or telnet", field="transport")
    return transport or None


def check_telnet_capable(platform: str, transport: str | None) -> None:
    """Refuse ``telnet`` for a platform netmiko has no telnet driver for."""
    if transport == "telnet" and telnet_device_type(platform) is None:
        raise InventoryError(
            f"platform {show(platform)} has no telnet driver in netmiko; use ssh", field="transport"
        )


def telnet_device_type(platform: str) -> str | None:
    """netmiko's telnet device type for ``platform`` (the registry's, else ``<platform>_telnet``)."""
    if platform.endswith("_telnet"):
        return platform
    entry = find(platform)
    if entry is not None and entry.telnet:
        return entry.telnet
    return f"{platform}_telnet" if f"{platform}_telnet" in known_platforms() else None


def check_port(value: object) -> int:
    """A TCP port, 1-65535; text such as ``"22"`` is accepted."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InventoryError(f"port {show(value)} is not a number")
    try:
        port = int(value)
    except ValueError:
        raise InventoryError(f"port {show(value)} is not a number") from None
    if not 1 <= port <= 65535:
        raise InventoryError(f"port {port} is outside 1-65535")
    return port


def check_description(value: object) -> str | None:
    """Free text; blank means none."""
    return check_text(value, "description") or None


def check_backup_command(value: object) -> str | None:
    """A device's or tag's own backup command: one line of at most 255 characters; blank means none."""
    command = check_text(value, "backup_command") or None
    if command is not None and len(command) > MAX_COMMAND:
        raise InventoryError(f"backup_command {show(command)} is longer than {MAX_COMMAND} characters")
    return command


def check_enabled(value: object) -> bool:
    """A boolean, or text such as true/false, yes/no, 1/0."""
    if isinstance(value, bool):
        return value
    text = check_text(value, "enabled").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InventoryError(f"enabled {show(value)} is not a boolean (use true or false)")


def check_tag_name(value: object) -> str:
    """A tag name: non-empty, at most 255 characters, without the list separators ``;`` and ``|``."""
    name = check_name(value, "tag name")
    if TAG_SEPARATORS.search(name):
        raise InventoryError(f"tag name {show(name)} contains ';' or '|'")
    return name


def check_tag_type(value: object) -> str:
    """A tag's type (site, role, vendor, custom...): non-empty, at most 50 characters."""
    kind = check_text(value, "tag type")
    if not kind or len(kind) > MAX_TAG_TYPE:
        raise InventoryError(f"tag type {show(kind)} must be 1-{MAX_TAG_TYPE} characters")
    return kind


def check_tag_names(values: object) -> tuple[str, ...]:
    """Tag names from an iterable or a ``;``/``|``-separated string; blanks dropped, duplicates removed."""
    if values is None:
        return ()
    if isinstance(values, str):
        items: list[object] = [part for part in TAG_SEPARATORS.split(values) if part.strip()]
    elif isinstance(values, Iterable) and not isinstance(values, (Mapping, bytes)):
        items = list(values)
    else:
        raise InventoryError(f"tags {show(values)}: expected a list or a ';'-separated string")
    return tuple(dict.fromkeys(check_tag_name(item) for item in items))


def check_text(value: object, what: str, error: type[NetRavenError] = InventoryError) -> str:
    """Printable text (numbers are taken as text), surrounding spaces removed; None gives ""."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise error(f"{what}: expected text, got {type(value).__name__}")
    text = str(value).strip()
    bad = unprintable(text)
    if bad:
        raise error(f"{what} {show(text)} contains a control character ({bad})")
    return text


def check_name(value: object, what: str, error: type[NetRavenError] = InventoryError) -> str:
    """A name: printable, non-empty text of at most :data:`MAX_NAME` characters."""
    name = check_text(value, what, error)
    if not name:
        raise error(f"{what} is empty")
    if len(name) > MAX_NAME:
        raise error(f"{what} {show(name)} is longer than {MAX_NAME} characters")
    return name
