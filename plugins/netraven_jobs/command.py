"""``command``: run show commands on each device and keep their (redacted) output."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netmiko.utilities import get_structured_data
from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

from netraven import platforms
from netraven.exceptions import DeviceError, JobError
from netraven.jobs import HostContext, JobType, Parameter
from netraven.platforms.clean import clean_output
from netraven.platforms.model import matched_line
from netraven.redaction import Redactor


class Command(JobType):
    """Runs ``commands`` in order; each output is stored redacted, and parsed with TextFSM if asked.

    Outputs are cleaned of terminal escapes; one carrying the platform's error marker (``% Invalid
    input``, ``syntax error``, ``Command fail``...) fails the host with kind ``command``. With
    ``textfsm``, ntc-templates parses outputs it has a template for; the others keep ``parsed`` null.
    """

    name = "command"
    shardable = True
    distributable = True
    description = "Run commands and store their output (optionally parsed with TextFSM)."
    parameters = {
        "commands": Parameter(list[str], required=True, help="commands to run, comma-separated"),
        "textfsm": Parameter(bool, default=False, help="parse outputs with ntc-templates"),
        "enable": Parameter(bool, default=False, help="enter privileged mode first"),
    }

    @classmethod
    def validate(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        values = super().validate(raw)
        if not values["commands"]:
            raise JobError(f"job type {cls.name!r}: parameter 'commands' needs at least one command")
        return values

    def task(self, task: Task, **params: Any) -> Result:
        outputs: list[dict[str, Any]] = []
        markers = platforms.registry().error_markers(task.host.platform)
        for command in params["commands"]:
            result = task.run(netmiko_send_command, command_string=command, enable=params["enable"])[0].result
            text = clean_output(str(result))
            error = matched_line(markers, text)
            if error is not None:
                raise DeviceError(f"{task.host.name}: {command!r}: {error[:80]}", "command", task.host.name)
            parsed = get_structured_data(text, task.host.platform, command) if params["textfsm"] else None
            outputs.append({"command": command, "output": text, "parsed": parsed if parsed != text else None})
        return Result(host=task.host, result=outputs)

    def handle_result(self, context: HostContext) -> dict[str, Any]:
        outputs = [_redacted(item, context.redactor) for item in context.result[0].result]
        return {"commands": outputs, "summary": f"{len(outputs)} command{'s' * (len(outputs) != 1)} run"}


def _redacted(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, list):
        return [_redacted(v, redactor) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, redactor) for k, v in value.items()}
    return value
