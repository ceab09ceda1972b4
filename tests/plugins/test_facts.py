"""Parsing and storing the facts a backup reads: TextFSM first, the registry's regexes for the rest,
values redacted, a failure on the host's job log."""

import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from nornir.core.task import MultiResult, Result
from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven import platforms
from netraven.db.models import JobLog, JobRun
from netraven.exceptions import InventoryError
from netraven.inventory import add_device, get_device, record_facts
from netraven.jobs import HostContext, RunInfo
from netraven.platforms.model import Facts
from netraven.redaction import Redactor
from netraven.settings import load_settings
from netraven.simulator.platforms.texts import VERSIONS
from netraven_jobs.facts import facts_of, parse_facts, read_facts, store_facts

SECRET = "Facts-Secret-8!"


@pytest.mark.parametrize("platform", sorted(VERSIONS))
def test_the_simulators_outputs_parse_through_textfsm_and_the_registry(platform: str) -> None:
    facts = facts_of(platform)
    assert facts is not None and facts.textfsm_platform
    output = "\n".join(VERSIONS[platform]("core-7")) + "\n"
    found = parse_facts(facts, output)
    assert found["os_version"] and found["model"]
    regex_only = parse_facts(Facts(**{**_fields(facts), "textfsm_platform": None}), output)
    assert set(regex_only) <= set(found)  # TextFSM adds, never loses, what the regexes find


def test_nxos_uptime_missing_from_textfsm_comes_from_the_regex() -> None:
    facts = facts_of("cisco_nxos")
    assert facts is not None
    found = parse_facts(facts, "\n".join(VERSIONS["cisco_nxos"]("n1")) + "\n")
    assert found["os_version"] == "9.3(8)" and found["serial"] == "SIM00000001"
    assert re.fullmatch(r"\d+ days, \d+ hours, \d+ minutes", found["uptime"])


def test_list_columns_and_no_template() -> None:
    output = "\n".join(VERSIONS["cisco_ios"]("r12")) + "\n"
    ios = Facts(command="show version", textfsm_platform="cisco_ios")  # no regexes: TextFSM alone
    found = parse_facts(ios, output)  # HARDWARE and SERIAL are lists in the template: their first item
    assert {k: v for k, v in found.items() if k != "uptime"} == {
        "os_version": "15.9(3)M6", "model": "IOSv", "serial": "SIM00000012",
    }  # fmt: skip
    assert re.fullmatch(r"\d+ days, \d+ hours, \d+ minutes", found["uptime"])
    no_template = Facts(
        command="show version", textfsm_platform="no_such_platform",
        os_version=re.compile(r"Version (?P<v>[^ ,]+)", re.M),
    )  # fmt: skip
    assert parse_facts(no_template, output) == {"os_version": "15.9(3)M6"}
    assert parse_facts(no_template, "% Invalid input detected at '^' marker.") == {}


@pytest.mark.parametrize("platform", sorted(VERSIONS))
def test_the_compiled_template_reads_what_ntc_templates_reads(platform: str) -> None:
    """The template compiled once per process gives ntc-templates' own rows, from many threads at once."""
    from ntc_templates.parse import parse_output

    facts = facts_of(platform)
    assert facts is not None and facts.textfsm_platform
    outputs = ["\n".join(VERSIONS[platform](f"dev-{n}")) + "\n" for n in range(24)]
    textfsm_only = Facts(command=facts.command, textfsm_platform=facts.textfsm_platform)
    expected = []
    for output in outputs:
        rows = parse_output(platform=facts.textfsm_platform, command=facts.command, data=output)
        expected.append({k: v for k, v in _textfsm_view(rows).items() if v})
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda output: parse_facts(textfsm_only, output), outputs))
    assert found == expected and all(found)


def test_each_facts_command_names_the_template_ntc_templates_index_gives() -> None:
    """The template is found by ntc-templates' file naming, without reading their index: the same file."""
    from ntc_templates.parse import _get_template_dir

    from netraven_jobs.facts import _indexed, template_name

    directory = _get_template_dir()
    entries = [(p.facts.textfsm_platform, p.facts.command) for name in platforms.names()
               if (p := platforms.get(name)).facts is not None and p.facts.textfsm_platform]  # fmt: skip
    assert len(entries) >= 15
    for platform, command in entries:
        assert _indexed(directory, platform, command) == os.path.join(
            directory, template_name(platform, command)
        )


def _textfsm_view(rows: list[dict[str, object]]) -> dict[str, str | None]:
    from netraven_jobs.facts import COLUMNS, _first

    return {
        name: next((v for row in rows for c in columns if (v := _first(row.get(c)))), None)
        for name, columns in COLUMNS.items()
    }


def _fields(facts: Facts) -> dict[str, object]:
    return {name: getattr(facts, name) for name in facts.__slots__}  # type: ignore[attr-defined]


def _context(session: Session, device_id: int, outcome: object, redactor: Redactor) -> HostContext:
    run = JobRun(job_type="backup", parameters={}, targets={})
    session.add(run)
    session.flush()
    multi = MultiResult("backup")
    multi.append(Result(host=None, result="config"))
    extra = Result(host=None, result=outcome)
    extra.name = read_facts.__name__  # type: ignore[assignment]
    multi.append(extra)
    return HostContext(session, load_settings(), RunInfo(run.id, None, "backup"), device_id, "r1",
                       "cisco_ios", multi, redactor)  # fmt: skip


def test_stored_facts_are_redacted_and_cleaned(session: Session) -> None:
    device = add_device(session, "r1", "10.0.0.1", "cisco_ios")
    facts = {"os_version": f"15.2 {SECRET}", "model": "C9300\x1b[31m-48P", "serial": "  FOC1\n"}
    stored = store_facts(_context(session, device.id, {"facts": facts}, Redactor([SECRET])))
    assert stored is not None and SECRET not in str(stored)
    session.refresh(device)
    assert device.os_version and device.os_version.startswith("15.2 ") and SECRET not in device.os_version
    assert (device.model, device.serial, device.uptime) == ("C9300[31m-48P", "FOC1", None)
    assert device.facts_at is not None


def test_recorded_facts_show_on_the_device_the_session_holds(session: Session) -> None:
    device = add_device(session, "r2", "10.0.0.2", "cisco_ios")
    record_facts(session, device.id, {"os_version": "17.9", "model": "C8000V"})
    assert (device.os_version, device.model, device.serial) == ("17.9", "C8000V", None)  # not reloaded
    session.expire_all()
    assert (device.os_version, device.model) == ("17.9", "C8000V") and device.facts_at is not None


def test_a_failure_goes_to_the_hosts_job_log_redacted(session: Session) -> None:
    device = add_device(session, "r1", "10.0.0.1", "cisco_ios")
    context = _context(
        session, device.id, {"error": f"'show version' failed: OSError: {SECRET}"}, Redactor([SECRET])
    )
    assert store_facts(context) is None
    (log,) = session.scalars(select(JobLog).where(JobLog.category == "facts"))
    assert (log.level, log.device_id, log.run_id) == ("WARNING", device.id, context.run.run_id)
    assert (
        log.message.startswith("facts not read: 'show version' failed: OSError: ")
        and SECRET not in log.message
    )
    assert get_device(session, "r1").facts_at is None


def test_record_facts_refuses_unknown_names(session: Session) -> None:
    device = add_device(session, "r1", "10.0.0.1", "cisco_ios")
    with pytest.raises(
        InventoryError, match=r"^unknown fact 'vendor' \(facts: os_version, model, serial, uptime\)$"
    ):
        record_facts(session, device.id, {"vendor": "Cisco"})
    assert record_facts(session, device.id, {"model": "x" * 300})["model"] == "x" * 255
