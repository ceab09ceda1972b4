"""Run a fleet until SIGINT/SIGTERM or a deadline: the body of ``netraven simulator start``."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from netraven.simulator.control import start_control
from netraven.simulator.server import Fleet


async def serve(
    fleet: Fleet, on_ready: Callable[[tuple[str, int]], None], max_seconds: float | None = None
) -> None:
    """Start ``fleet`` and its control socket, call ``on_ready(control_address)``, serve, stop cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await fleet.start()
    control = await start_control(fleet)
    try:
        on_ready(control.sockets[0].getsockname()[:2])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), max_seconds)
    finally:
        control.close()
        await fleet.stop()
        await control.wait_closed()
