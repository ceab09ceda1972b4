"""Classify what went wrong talking to a device, once, where the exception is caught."""

from __future__ import annotations

import socket

import paramiko
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoParsingException,
    NetmikoTimeoutException,
    ReadException,
    ReadTimeout,
)

from netraven.exceptions import DeviceError, DeviceErrorKind


def classify(exc: BaseException, host: str) -> DeviceError:
    """A one-line :class:`DeviceError` (kind auth, timeout, connection, command or parse) for ``exc``.

    Messages are NetRaven's own: netmiko's multi-line texts are not copied, so no secret can leak.
    """
    if isinstance(exc, DeviceError):
        return exc
    kind, message = _kind_and_message(exc)
    return DeviceError(f"{host}: {message}", kind=kind, host=host)


def _kind_and_message(exc: BaseException) -> tuple[DeviceErrorKind, str]:
    if isinstance(exc, (NetmikoAuthenticationException, paramiko.AuthenticationException)):
        return "auth", "authentication failed"
    if isinstance(exc, ReadTimeout):
        return "timeout", "the device stopped answering (read timeout)"
    if isinstance(exc, NetmikoParsingException):
        return "parse", "output could not be parsed"
    if isinstance(exc, ConnectionRefusedError):
        return "connection", "connection refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timeout", "timed out connecting"
    if isinstance(exc, NetmikoTimeoutException):
        text = str(exc)
        if "TCP connection to device failed" in text or "DNS failure" in text:
            return "connection", "TCP connection failed"
        if "Error reading SSH protocol banner" in text or "banner" in text.lower():
            return "timeout", "timed out waiting for the SSH banner"
        return "timeout", "timed out during SSH session setup"
    if isinstance(exc, (EOFError, ConnectionResetError, BrokenPipeError, paramiko.SSHException)):
        return "connection", "the connection was closed by the device"
    if isinstance(exc, OSError):
        if isinstance(exc, socket.gaierror):
            return "connection", "the address does not resolve"
        return "connection", f"network error ({exc.strerror or type(exc).__name__})"
    if isinstance(exc, ValueError) and "enable mode" in str(exc):
        return "auth", "enable mode refused (wrong enable secret?)"
    if isinstance(exc, ValueError) and "prompt" in str(exc).lower():
        return "command", "the device prompt was not recognised"
    if isinstance(exc, ReadException):
        return "command", "reading the command output failed"
    return "command", f"unexpected {type(exc).__name__}"
