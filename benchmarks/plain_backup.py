"""The baseline the backup benchmarks compare NetRaven with: a plain Nornir + netmiko backup script.

What a typical Nornir user's script does: ``InitNornir`` over a SimpleInventory (username, password
and enable secret per host), ``netmiko_send_command`` ("show running-config", enable on IOS and EOS;
"show configuration" on Junos), each config written to ``<host>.cfg``, ``nr.close_connections()``
at the end. Run as a script it is one whole process, as ``netraven run backup`` is:

    python benchmarks/plain_backup.py HOSTS_YAML OUT_DIR [--workers 50]

It prints ``ok=N failed=M`` and exits 1 if a host failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from nornir import InitNornir
from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

# What the plain script sends: platform -> (commands, needs enable), as a user would write it.
Commands = dict[str, tuple[tuple[str, ...], bool]]
PLAIN_COMMANDS: Commands = {
    "cisco_ios": (("show running-config",), True),
    "arista_eos": (("show running-config",), True),
    "cisco_nxos": (("show running-config",), False),
    "juniper_junos": (("show configuration",), False),
}


@dataclass
class Figure:
    """One timed backup: wall seconds, hosts that succeeded and failed."""

    seconds: float
    ok: int
    failed: int


def write_simple_inventory(devices: list[dict[str, Any]], directory: Path) -> Path:
    """Devices (a fleet's ``devices``) as a SimpleInventory hosts file (no groups, no defaults)."""
    directory.mkdir(parents=True, exist_ok=True)
    hosts = {
        d["hostname"]: {"hostname": d["host"], "port": d["port"], "platform": d["platform"],
                        "username": d["username"], "password": d["password"],
                        "connection_options": {"netmiko": {"extras": {"secret": d["secret"]}}}}
        for d in devices
    }  # fmt: skip
    (directory / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    return directory / "hosts.yaml"


def plain_backup(inventory: Path, out: Path, workers: int, commands: Commands | None = None) -> Figure:
    """The typical script: InitNornir, netmiko_send_command, write each config, close at the end.

    ``commands`` (default :data:`PLAIN_COMMANDS`) gives each platform its commands, sent in turn.
    """
    out.mkdir(parents=True, exist_ok=True)
    table = commands or PLAIN_COMMANDS

    def backup(task: Task) -> Result:
        sent, enable = table[task.host.platform or ""]
        outputs = [task.run(netmiko_send_command, command_string=c, enable=enable).result for c in sent]
        config = "\n\n".join(outputs)
        (out / f"{task.host.name}.cfg").write_text(config)
        return Result(host=task.host, result=len(config))

    start = time.perf_counter()
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={"plugin": "SimpleInventory", "options": {
            "host_file": str(inventory), "group_file": str(inventory.with_name("no-groups.yaml")),
            "defaults_file": str(inventory.with_name("no-defaults.yaml"))}},
        logging={"enabled": False},
    )  # fmt: skip
    result = nr.run(task=backup)
    nr.close_connections()
    seconds = time.perf_counter() - start
    failed = len(result.failed_hosts)
    return Figure(seconds, len(result) - failed, failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inventory", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=50)
    args = parser.parse_args()
    figure = plain_backup(args.inventory, args.out, args.workers)
    print(f"ok={figure.ok} failed={figure.failed}")
    sys.exit(1 if figure.failed else 0)


if __name__ == "__main__":
    main()
