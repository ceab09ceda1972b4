"""What NetRaven knows about each platform (a netmiko device type), in one leaf module.

Known platforms, the extra netmiko options a device or a platform may set, the command that prints
a platform's configuration, the lines every configuration of it has, and the lines by which a
device says a command failed. This module imports nothing from NetRaven but its exceptions, and
netmiko only on first use (it is slow to import), so settings, the inventory and the credentials
can check platforms cheaply.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from netraven.exceptions import ConfigError

# What NetRaven sets itself, from the inventory and the credentials: never from options.
RESERVED = frozenset({
    "host", "ip", "port", "device_type", "username", "password", "secret", "passphrase", "pkey",
    "key_file", "sock", "sock_telnet", "session_log", "auto_connect", "_legacy_mode",
})  # fmt: skip

#: platform -> (command that prints the whole configuration, needs privileged mode)
BACKUP_COMMANDS: dict[str, tuple[str, bool]] = {
    "cisco_ios": ("show running-config", True),
    "cisco_xe": ("show running-config", True),
    "cisco_asa": ("show running-config", True),
    "cisco_nxos": ("show running-config", False),
    "cisco_xr": ("show running-config", False),
    "arista_eos": ("show running-config", True),
    "juniper_junos": ("show configuration", False),
    "juniper": ("show configuration", False),
}
DEFAULT_BACKUP_COMMAND = ("show running-config", False)

#: Lines that mean the device answered with an error instead of the command's output.
ERROR_MARKERS = re.compile(
    r"^\s*(?:%\s*Invalid input|%\s*Invalid command|syntax error|unknown command|error:)", re.IGNORECASE
)

_IOS_LIKE = re.compile(r"^(?:hostname \S|version \S|interface \S|end$|ASA Version )", re.MULTILINE)
#: Per platform, a pattern finding the lines of which every configuration has at least one (and
#: what they are, for messages): output with none (``show version`` as the backup command) is not a
#: configuration.
CONFIG_MARKERS: dict[str, tuple[re.Pattern[str], str]] = {
    **{
        platform: (_IOS_LIKE, "'hostname', 'version', 'interface' or 'end' line")
        for platform in ("cisco_ios", "cisco_xe", "cisco_xr", "cisco_nxos", "cisco_asa", "arista_eos")
    },
    **{
        platform: (
            re.compile(
                r"^(?:version \S+;|(?:system|interfaces) \{|set (?:version|system|interfaces) )", re.M
            ),
            "'version', 'system' or 'interfaces' statement",
        )
        for platform in ("juniper_junos", "juniper")
    },
}


@cache
def known_platforms() -> frozenset[str]:
    """Every netmiko device type (netmiko is imported on first use)."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    return frozenset(CLASS_MAPPER)


def closest_platform(name: str) -> str | None:
    """The known platform most like ``name`` (a misspelling), if one is close enough."""
    close = difflib.get_close_matches(name, sorted(known_platforms()), n=1)
    return close[0] if close else None


def backup_command(platform: str | None) -> tuple[str, bool]:
    """The command printing ``platform``'s configuration, and whether it needs privileged mode."""
    return BACKUP_COMMANDS.get(platform or "", DEFAULT_BACKUP_COMMAND)


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
