"""The ``uptime`` job type: read each device's uptime and flag the devices that rebooted recently."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

from netraven.exceptions import DeviceError, JobError
from netraven.jobs import HostContext, JobType, Parameter
from netraven_uptime.parse import describe_uptime, parse_uptime

# Junos has no uptime in "show version"; every other platform has.
COMMANDS = {"juniper_junos": "show system uptime", "juniper": "show system uptime"}
DEFAULT_COMMAND = "show version"

# How the platforms say a command was not understood (IOS/EOS, NX-OS, Junos).
_DEVICE_ERROR = re.compile(r"^\s*(?:%\s*Invalid (?:input|command)|syntax error|unknown command)", re.I)


class Uptime(JobType):
    """Runs ``show version`` (Junos: ``show system uptime``) and stores the uptime it reads.

    Each host's JobResult output is ``{"uptime_seconds": 273900, "rebooted_recently": false,
    "summary": "up 3 days, 4:05"}``. A device that rejects the command fails with kind
    ``command``; output without an uptime this plugin can read fails with kind ``parse``.
    """

    name = "uptime"
    shardable = True  # task() needs only its parameters: big runs may use several processes
    description = "Record each device's uptime; flag devices that rebooted recently."
    parameters = {
        "reboot_threshold_hours": Parameter(
            int, default=24, help="an uptime shorter than this many hours counts as a recent reboot"
        ),
    }

    @classmethod
    def validate(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = super().validate(raw)
        if values["reboot_threshold_hours"] < 0:
            raise JobError(f"job type {cls.name!r}: parameter 'reboot_threshold_hours' must be 0 or more")
        return values

    def task(self, task: Task, **params: Any) -> Result:
        """The device's uptime in seconds, read from one command's output."""
        host = task.host.name
        command = COMMANDS.get(task.host.platform or "", DEFAULT_COMMAND)
        text = str(task.run(netmiko_send_command, command_string=command)[0].result)
        for line in text.splitlines():
            if _DEVICE_ERROR.match(line):
                raise DeviceError(f"{host}: {command!r}: {line.strip()[:80]}", "command", host)
        seconds = parse_uptime(text)
        if seconds is None:
            raise DeviceError(f"{host}: no uptime found in the output of {command!r}", "parse", host)
        return Result(host=task.host, result=seconds)

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        """The JobResult output: seconds, the recent-reboot flag and a human summary."""
        seconds = int(context.result[0].result)
        threshold = int(context.run.parameters["reboot_threshold_hours"]) * 3600
        return {
            "uptime_seconds": seconds,
            "rebooted_recently": seconds < threshold,
            "summary": describe_uptime(seconds),
        }
