"""Which netmiko device type a host is reached with: its platform over SSH, or the platform's
telnet driver when the device (or one of its tags) asks for telnet. Telnet is never chosen on its own."""

from __future__ import annotations

from netraven.exceptions import DeviceError
from netraven.inventory.validation import telnet_device_type

TELNET_SUFFIX = "_telnet"


def connection_type(platform: str | None, transport: str | None, host: str | None = None) -> str:
    """The netmiko device type for ``platform`` over ``transport`` (``ssh`` when None).

    A platform that is already a telnet type (``cisco_ios_telnet``) stays one. Telnet for a
    platform netmiko has no telnet driver for is a ``connection`` :class:`DeviceError`.
    """
    platform = platform or ""
    if transport != "telnet" or platform.endswith(TELNET_SUFFIX):
        return platform
    telnet = telnet_device_type(platform)
    if telnet is None:
        where = f"{host}: " if host else ""
        raise DeviceError(f"{where}platform {platform} has no telnet driver in netmiko", "connection", host)
    return telnet


def is_telnet(device_type: str) -> bool:
    """Whether ``device_type`` is one of netmiko's telnet drivers."""
    return device_type.endswith(TELNET_SUFFIX)
