"""The facts a backup reads: OS version, model, serial number and uptime, from one command per device.

The command's output is parsed by ntc-templates' TextFSM template for the platform where it has
one; what the template does not give (or all of it, without a template) comes from the platform
registry's regexes. Reading facts never fails a host: :func:`read_facts` returns an error instead,
which the backup logs on the host's job log.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from nornir.core.task import Result, Task
from nornir_netmiko.connections import CONNECTION_NAME

from netraven import platforms
from netraven.db.models import JobLog
from netraven.exceptions import one_line
from netraven.inventory import record_facts
from netraven.jobs import HostContext
from netraven.platforms.clean import clean_output
from netraven.platforms.model import Facts

#: Per fact, the TextFSM columns (lower case, as ntc-templates returns them) holding it, best first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "os_version": ("version", "os", "junos_version", "image", "vrp_version", "software_version",
                   "os_version", "sw_version"),
    "model": ("model", "hardware", "board_name", "product", "switch_model", "platform"),
    "serial": ("serial", "serial_number", "serialnum", "chassis_serial"),
    "uptime": ("uptime",),
}  # fmt: skip


def facts_of(platform: str | None) -> Facts | None:
    """The registry's facts entry of ``platform``, None when it has none."""
    found = platforms.find(platform)
    return found.facts if found is not None else None


def read_facts(task: Task, facts: Facts) -> Result:
    """Send ``facts.command`` on the host's open connection and parse its output.

    The result is ``{"facts": {name: value}}``, or ``{"error": one line}`` (not redacted) when the
    command failed or nothing was recognised; the task itself never fails.
    """
    try:
        connection = task.host.get_connection(CONNECTION_NAME, task.nornir.config)
        output = clean_output(str(connection.send_command(facts.command)))
    except Exception as exc:  # whatever the device or the session does, the backup stands
        return Result(host=task.host, result={"error": f"{facts.command!r} failed: {one_line(exc)}"})
    found = parse_facts(facts, output)
    if not found:
        return Result(
            host=task.host, result={"error": f"nothing recognised in the output of {facts.command!r}"}
        )
    return Result(host=task.host, result={"facts": found})


def parse_facts(facts: Facts, output: str) -> dict[str, str]:
    """The facts in ``output``: TextFSM's where it finds them, the registry's regexes for the rest."""
    found = _textfsm(facts, output)
    for name, value in facts.parse(output).items():
        found.setdefault(name, value)
    return found


def _textfsm(facts: Facts, output: str) -> dict[str, str]:
    if not facts.textfsm_platform:
        return {}
    from textfsm import TextFSMError

    parser = _template(facts.textfsm_platform, facts.command)
    if parser is None:  # no template for the command
        return {}
    lock, fsm = parser
    try:
        with lock:  # one compiled template, reset for each output
            fsm.Reset()
            rows = [{k.lower(): v for k, v in row.items()} for row in fsm.ParseTextToDicts(output)]
    except TextFSMError:  # output the template rejects
        return {}
    found: dict[str, str] = {}
    for name, columns in COLUMNS.items():
        value = next((v for row in rows for c in columns if (v := _first(row.get(c)))), None)
        if value:
            found[name] = value
    return found


@cache
def _template(platform: str, command: str) -> tuple[threading.Lock, Any] | None:
    """ntc-templates' template for ``command`` on ``platform``, compiled once per process (looking
    it up and compiling it for every device took about 15% of a worker's CPU in a backup)."""
    from ntc_templates.parse import _get_template_dir
    from textfsm import TextFSM

    directory = _get_template_dir()
    path = os.path.join(directory, template_name(platform, command))
    if not os.path.exists(path):
        path = _indexed(directory, platform, command) or ""
    if not path:
        return None
    with open(path, encoding="utf-8") as template:
        return threading.Lock(), TextFSM(template)


def template_name(platform: str, command: str) -> str:
    """The file ntc-templates names a template by: ``cisco_ios_show_version.textfsm``."""
    return f"{platform}_{'_'.join(command.strip('/').split())}.textfsm"


def _indexed(directory: str, platform: str, command: str) -> str | None:
    """The template ntc-templates' index gives (reading the index costs about 2 s of CPU, once)."""
    from textfsm import clitable

    index = clitable.CliTable("index", directory).index
    row = index.GetRowMatch({"Platform": platform, "Command": command})
    names = index.index[row]["Template"].split(":") if row else []
    return os.path.join(directory, names[0]) if len(names) == 1 else None  # merged tables: none here


def _first(value: Any) -> str | None:
    """A TextFSM value (text, or a list of them) as its first non-blank text."""
    values: Sequence[Any] = value if isinstance(value, list) else [value]
    return next((str(v).strip() for v in values if v is not None and str(v).strip()), None)


def store_facts(context: HostContext) -> dict[str, str | None] | None:
    """Store on the device the facts :func:`read_facts` read, redacted; or log on the host's job log
    why none were read. The stored facts, None when there are none (or none were asked for)."""
    outcome = next((r.result for r in context.result if r.name == read_facts.__name__), None)
    if not isinstance(outcome, Mapping):
        return None
    if "facts" not in outcome:
        message = context.redactor.redact(f"facts not read: {outcome.get('error')}")
        context.session.add(JobLog(run_id=context.run.run_id, device_id=context.device_id,
                                   level="WARNING", category="facts", message=message))  # fmt: skip
        return None
    values = {name: context.redactor.redact(str(value)) for name, value in outcome["facts"].items()}
    return record_facts(context.session, context.device_id, values)
