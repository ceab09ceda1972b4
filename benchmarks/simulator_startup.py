"""Start 2,000 simulated devices in a subprocess; print time to READY and the process's RSS.

The baseline, measured in the same run, is a one-device fleet: the ratio shows what the 1,999 other
devices cost over the interpreter, asyncssh and the host key. Target: a few seconds, ~100 MB.

    python benchmarks/simulator_startup.py [--count 2000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from netraven.simulator import PLATFORMS, start_fleet_process
from netraven.simulator.pytest_plugin import free_base_address


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    count = parser.parse_args().count
    base_ready, base_rss, _ = measure(1)
    ready, rss, status = measure(count)
    print(f"devices: {count} (baseline: 1 device, same run)")
    print(f"time to READY: {ready:.2f} s (baseline {base_ready:.2f} s, ratio {ready / base_ready:.2f}x)")
    print(f"RSS at READY: {rss:.1f} MB (baseline {base_rss:.1f} MB, ratio {rss / base_rss:.2f}x)")
    print(f"exit status: {status}")


def measure(count: int) -> tuple[float, float, int]:
    """Seconds to READY, RSS in MB, and exit status of a fleet of ``count`` devices."""
    address, port = free_base_address(random.Random())
    with tempfile.TemporaryDirectory() as workdir:
        started = time.monotonic()
        fleet = start_fleet_process(count, Path(workdir), PLATFORMS, address, port, ready_timeout=60)
        ready = time.monotonic() - started
        rss = rss_mb(fleet.pid)
        return ready, rss, fleet.stop()


if __name__ == "__main__":
    main()
