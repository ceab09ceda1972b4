"""The reachability check's ICMP echo for real: in a network namespace of its own whose
``net.ipv4.ping_group_range`` lets every group ping, so the machine's own setting is left alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from netraven_jobs.reachability import ping_refused

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, socket, threading
    from nornir.core.inventory import Host
    from netraven.settings import Settings
    from netraven_jobs.reachability import Reachability, ping_refused

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    threading.Thread(target=lambda: server.accept()[0].sendall(b"SSH-2.0-Test\\r\\n"), daemon=True).start()
    job = Reachability()
    job.configure(Settings(), {"timeout": 1.0})
    host = Host("r1", hostname="127.0.0.1", port=server.getsockname()[1])
    print(json.dumps({"refused": ping_refused(), "check": asyncio.run(job.check(host))}))
    """
)


def test_ping_where_unprivileged_icmp_is_allowed() -> None:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("needs root, unshare and ip to make a network namespace that allows unprivileged ping")
    allow = (
        'ip link set lo up && echo "0 2147483647" > /proc/sys/net/ipv4/ping_group_range && exec "$0" -c "$1"'
    )
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", allow, sys.executable, SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["refused"] == ""
    check = found["check"]
    assert check["banner"] == "SSH-2.0-Test" and check["latency_ms"] >= 0
    assert set(check["icmp"]) == {"rtt_ms"} and check["icmp"]["rtt_ms"] >= 0


def test_why_ping_is_refused_names_the_setting() -> None:
    refused = ping_refused()
    with open("/proc/sys/net/ipv4/ping_group_range") as groups:
        low, high = map(int, groups.read().split())
    if low <= os.getgid() <= high:
        assert refused == ""
    else:
        assert refused.startswith(f"unprivileged ICMP not allowed for group {os.getgid()}")
        assert f"net.ipv4.ping_group_range = {low} {high}" in refused
