"""Start 2,000 simulated devices in a subprocess; print time to READY and the process's RSS.

Baseline (2-core VM, Python 3.11, asyncssh 2.24): ~0.7 s to READY (inventory written), ~51 MB RSS.

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
    address, port = free_base_address(random.Random())
    with tempfile.TemporaryDirectory() as workdir:
        started = time.monotonic()
        fleet = start_fleet_process(count, Path(workdir), PLATFORMS, address, port, ready_timeout=60)
        ready = time.monotonic() - started
        rss = rss_mb(fleet.pid)
        status = fleet.stop()
    print(f"devices: {count}")
    print(f"time to READY: {ready:.2f} s (baseline ~0.7 s)")
    print(f"RSS at READY: {rss:.1f} MB (baseline ~51 MB)")
    print(f"exit status: {status}")


if __name__ == "__main__":
    main()
