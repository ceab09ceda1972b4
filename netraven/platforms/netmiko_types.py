"""What netmiko knows: its device types and the options its ConnectHandler takes (imported on first use)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import cache
from typing import Any

from netraven.exceptions import ConfigError

# What NetRaven sets itself, from the inventory and the credentials: never from options.
RESERVED = frozenset({
    "host", "ip", "port", "device_type", "username", "password", "secret", "passphrase", "pkey",
    "key_file", "sock", "sock_telnet", "session_log", "auto_connect", "_legacy_mode",
})  # fmt: skip


@cache
def known_platforms() -> frozenset[str]:
    """Every netmiko device type (netmiko is imported on first use)."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    return frozenset(CLASS_MAPPER)


def closest_platform(name: str) -> str | None:
    """The known platform most like ``name`` (a misspelling), if one is close enough."""
    close = difflib.get_close_matches(name, sorted(known_platforms()), n=1)
    return close[0] if close else None


@cache
def netmiko_parameters() -> frozenset[str]:
    """The keyword arguments of netmiko's ConnectHandler (netmiko is imported on first use)."""
    import inspect

    from netmiko.base_connection import BaseConnection

    return frozenset(inspect.signature(BaseConnection.__init__).parameters) - {"self"}


def check_netmiko_options(options: object, key: str) -> dict[str, Any]:
    """``options`` as a dict of netmiko options, or a one-line :class:`ConfigError` naming ``key``."""
    if not isinstance(options, Mapping):
        raise ConfigError(f"{key}: expected a mapping of netmiko options, got {options!r}", key=key)
    for name in options:
        where = f"{key}.{name}"
        if name in RESERVED:
            raise ConfigError(
                f"{where}: not an option here (addresses and credentials come from the inventory)", key=where
            )
        if name not in netmiko_parameters():
            close = difflib.get_close_matches(str(name), sorted(netmiko_parameters() - RESERVED), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see netmiko's ConnectHandler"
            raise ConfigError(f"{where}: unknown netmiko option ({hint})", key=where)
    return dict(options)
