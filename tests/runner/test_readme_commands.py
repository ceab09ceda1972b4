"""README's ``netraven run command`` examples, run exactly as written against simulated devices."""

import json
import re
import shlex
from pathlib import Path

from sqlalchemy import Engine

from netraven.db import create_session_factory
from netraven.inventory import edit_device
from netraven.settings import Settings
from tests.runner.test_run_cli import invoke

README = Path(__file__).parents[2] / "README.md"
#: which simulated platforms each README example is about: the tag it names is put on them
PLATFORMS = {"core": ("cisco_ios", "cisco_nxos", "arista_eos"), "junos": ("juniper_junos",)}


def readme_examples() -> list[str]:
    """Every ``netraven run command ...`` line README shows (in backticks), as written."""
    return re.findall(r"`(netraven run command [^`]+)`", README.read_text())


def test_readme_command_examples_work_on_the_simulator(engine: Engine, settings: Settings, lab) -> None:
    examples = readme_examples()
    assert len(examples) >= 3 and any("textfsm=yes" in line for line in examples), examples
    fleet = lab(4, platforms=("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"))
    with create_session_factory(engine).begin() as session:
        for device in fleet.devices:
            tag = next(tag for tag, platforms in PLATFORMS.items() if device["platform"] in platforms)
            edit_device(session, device["hostname"], add_tags=[tag])
    for line in examples:
        args = shlex.split(line)[1:]
        result = invoke(engine, settings, *args, "--json")
        assert result.exit_code == 0, (line, result.output)
        report = json.loads(result.stdout)
        tag = args[args.index("--tag") + 1]
        assert report["hosts_succeeded"] == len(PLATFORMS[tag]) == report["hosts_total"], (line, report)
        shown = json.loads(invoke(engine, settings, "run", "show", str(report["run_id"]), "--json").stdout)
        for host in shown["hosts"]:
            outputs = host["output"]["commands"]
            assert all(item["output"].strip() for item in outputs), (line, host)
            if "textfsm=yes" in line:
                assert all(isinstance(item["parsed"], list) and item["parsed"] for item in outputs), (
                    line,
                    host,
                )
