"""``reachability``: can each device's management port be reached? A TCP connect, no login.

Every target is checked in one asyncio pass (:class:`~netraven.jobs.ConcurrentJobType`): a TCP
connect to the device's port, then (``banner``) its first bytes, the SSH version line, within
``timeout``. A refused or reset connection fails the host with kind ``connection``, silence
(a dropped SYN, a port that accepts and says nothing) with kind ``timeout``. Where the system lets
an unprivileged user ping (``net.ipv4.ping_group_range``), one ICMP echo goes out at the same
time; its answer is recorded, never decisive. The run ends by storing each device's verdict,
latency and time (``device list``), which closes the circuits of reachable devices.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import icmplib
from nornir.core.inventory import Host
from sqlalchemy import select

from netraven.db.models import JobResult
from netraven.exceptions import DeviceError, JobError
from netraven.inventory.reachability import Check, record_checks
from netraven.jobs import ConcurrentJobType, HostContext, Parameter, RunContext
from netraven.settings import Settings

PING_GROUPS = Path("/proc/sys/net/ipv4/ping_group_range")


class Reachability(ConcurrentJobType):
    """TCP connect (and banner) to each device's port, and a ping where allowed; latency recorded."""

    name = "reachability"
    logs_in = False
    description = "Check that each device answers on its port (TCP, ICMP); no login."
    parameters = {
        "timeout": Parameter(float, default=0.0, help="seconds per device (default: reachability.timeout)"),
        "banner": Parameter(bool, default=None, help="await the SSH banner (default: reachability.banner)"),
        "icmp": Parameter(bool, default=None, help="also ping, where allowed (default: reachability.icmp)"),
    }

    def __init__(self) -> None:
        self.timeout, self.banner, self.ping_refused = 2.0, True, ""

    @classmethod
    def validate(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = super().validate(raw)
        if not 0 <= values["timeout"] <= 3_600:
            raise JobError(f"job type {cls.name!r}: parameter 'timeout' must be from 0 to 3600 seconds")
        return values

    def prepare(self, context: RunContext) -> None:
        self.configure(context.settings, context.run.parameters)

    def configure(self, settings: Settings, params: Any) -> None:
        """Take the run's timeout, banner and ICMP choices from ``params`` over ``settings``."""
        options = settings.reachability
        self.timeout = params.get("timeout") or options.timeout
        self.banner = options.banner if params.get("banner") is None else params["banner"]
        icmp = options.icmp if params.get("icmp") is None else params["icmp"]
        self.ping_refused = ping_refused() if icmp else "turned off (reachability.icmp)"

    def concurrency(self, settings: Settings, params: dict[str, Any]) -> int:
        return settings.reachability.concurrency

    async def check(self, host: Host, **params: Any) -> dict[str, Any]:
        address, port = host.hostname or host.name, host.port or 22
        tcp = asyncio.ensure_future(self._connect(host.name, address, port))
        ping = await self._ping(address)
        try:
            latency, banner = await tcp
        except DeviceError as exc:
            raise DeviceError(f"{exc}{_said(ping)}", exc.kind, host.name) from None
        return {"latency_ms": latency, "banner": banner, "icmp": ping}

    async def _connect(self, name: str, address: str, port: int) -> tuple[float, str | None]:
        """The TCP connect's time in ms, and the banner's first line (when awaited)."""
        where, began = f"{name}: {address}:{port}", time.perf_counter()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(address, port), self.timeout)
        except TimeoutError:
            why = f"no answer to the TCP connect within {self.timeout:g} s"
            raise DeviceError(f"{where}: {why}", "timeout", name) from None
        except OSError as exc:
            raise DeviceError(f"{where}: {_reason(exc)}", "connection", name) from None
        latency = round((time.perf_counter() - began) * 1000, 3)
        try:
            if not self.banner:
                return latency, None
            try:
                first = await asyncio.wait_for(reader.read(256), self.timeout)
            except TimeoutError:
                why = f"the port accepted but sent no banner within {self.timeout:g} s"
                raise DeviceError(f"{where}: {why}", "timeout", name) from None
            except OSError as exc:
                raise DeviceError(f"{where}: {_reason(exc)}", "connection", name) from None
            if not first:
                raise DeviceError(f"{where}: closed the connection without a banner", "connection", name)
            return latency, first.decode("ascii", "replace").splitlines()[0][:120]
        finally:
            writer.transport.abort()

    async def _ping(self, address: str) -> dict[str, Any]:
        """One ICMP echo: ``{"rtt_ms": ...}`` or ``{"lost": true}``, or why it was skipped."""
        if self.ping_refused:
            return {"skipped": self.ping_refused}
        try:
            answer = await icmplib.async_ping(address, count=1, timeout=self.timeout, privileged=False)
        except (icmplib.ICMPLibError, OSError) as exc:
            return {"skipped": str(exc) or type(exc).__name__}
        return {"rtt_ms": round(answer.avg_rtt, 3)} if answer.is_alive else {"lost": True}

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        found = dict(context.result[0].result)
        if found["banner"] is not None:
            found["banner"] = context.redactor.redact(found["banner"])
        found["summary"] = f"reachable: TCP connect {found['latency_ms']:g} ms{_said(found['icmp'])}"
        return found

    def finish(self, context: RunContext) -> str | None:
        """Store each checked device's verdict (a host failed by the network is unreachable)."""
        rows = context.session.execute(
            select(JobResult.device_id, JobResult.status, JobResult.error_kind, JobResult.output,
                   JobResult.completed_at).where(JobResult.run_id == context.run.run_id)
        )  # fmt: skip
        checks = [
            Check(device_id, status == "succeeded", (output or {}).get("latency_ms"), at)
            for device_id, status, kind, output, at in rows
            if device_id is not None and (status == "succeeded" or kind in ("connection", "timeout"))
        ]
        record_checks(context.session, checks)
        up = sum(check.reachable for check in checks)
        said = f"{up} reachable, {len(checks) - up} unreachable"
        return f"{said}; ICMP skipped: {self.ping_refused}" if self.ping_refused else said


def ping_refused() -> str:
    """Why this process may not send unprivileged ICMP echoes, or ``""`` if it may."""
    try:
        icmplib.ICMPv4Socket(privileged=False).close()
    except icmplib.SocketPermissionError:
        try:
            groups = " ".join(PING_GROUPS.read_text().split())
        except OSError:
            groups = "unknown"
        return f"unprivileged ICMP not allowed for group {os.getgid()} (net.ipv4.ping_group_range = {groups})"
    except (icmplib.ICMPLibError, OSError) as exc:
        return f"no ICMP socket: {exc}"
    return ""


def _reason(exc: OSError) -> str:
    """``connection refused``: asyncio's own wording repeats the address and hides the errno's."""
    return (os.strerror(exc.errno) if exc.errno else exc.strerror or type(exc).__name__).lower()


def _said(ping: dict[str, Any]) -> str:
    if "rtt_ms" in ping:
        return f"; ping {ping['rtt_ms']:g} ms"
    return "; ping lost" if ping.get("lost") else ""
