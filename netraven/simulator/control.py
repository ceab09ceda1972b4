"""A JSON-lines control socket on 127.0.0.1 for changing a running simulator from outside.

One request per line, one reply per line::

    {"op": "configure", "hostname": "sim-ios-0001", "lines": ["interface Loopback7", " description x"]}
    {"op": "show", "hostname": "sim-ios-0001"}        -> {"ok": true, "config": "..."}
    {"op": "ping"}                                      -> {"ok": true}

Errors come back as ``{"ok": false, "error": "..."}``.
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import TYPE_CHECKING, Any

from netraven.exceptions import ConfigError

if TYPE_CHECKING:
    from netraven.simulator.server import Fleet


def _dispatch(fleet: Fleet, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "ping":
        return {"ok": True}
    if op == "configure":
        fleet.configure(request["hostname"], list(request["lines"]))
        return {"ok": True}
    if op == "show":
        return {"ok": True, "config": fleet.running_config(request["hostname"])}
    raise ValueError(f"unknown op {op!r}")


async def start_control(fleet: Fleet, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
    """Serve control requests for ``fleet``; the bound port is ``server.sockets[0].getsockname()``."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async for raw in reader:
                try:
                    reply = _dispatch(fleet, json.loads(raw))
                except (ValueError, KeyError, TypeError, ConfigError) as exc:
                    reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
                writer.write(json.dumps(reply).encode() + b"\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, host, port)


def control_request(
    address: tuple[str, int], request: dict[str, Any], timeout: float = 10.0
) -> dict[str, Any]:
    """Send one request to a simulator's control socket and return the reply (raises on ``ok: false``)."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(json.dumps(request).encode() + b"\n")
        reply = json.loads(sock.makefile("rb").readline())
    if not reply.get("ok"):
        raise ConfigError(f"simulator control: {reply.get('error')}")
    return dict(reply)
