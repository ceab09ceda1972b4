"""The example plugin ``examples/netraven-plugin-uptime``, installed as a user installs it, run end to end.

pip installs the example into a target directory (never into the shared venv). Subprocesses with
that directory on PYTHONPATH find its ``netraven.plugins`` entry point through importlib.metadata,
exactly as NetRaven finds any installed plugin, and run its job type and a backup against a
simulated fleet stored in the test's database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import JobResult
from netraven.exceptions import DeviceError, JobError
from netraven.simulator.process import FleetProcess
from tests.inventory_plugin.conftest import load_fleet
from tests.runner.conftest import FAST, make_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "netraven-plugin-uptime"
PLATFORMS = ("cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos")

# Runs job types through the Python API in a process that sees only installed plugins; prints
# one JSON line per run. Logging shows the plugin's netraven_run_finished line on stderr.
RUN_JOBS = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
logging.getLogger("netraven_uptime").setLevel(logging.INFO)
from netraven.jobs import Targets
from netraven.runner import run_job
for job_type, params in json.loads(sys.argv[1]):
    report = run_job(job_type, Targets.of(tags=["lab"]), params, triggered_by="example-test")
    print(json.dumps({"run_id": report.run_id, "status": report.summary.status}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory the example is pip-installed into, from a copy (a build leaves files behind)."""
    source = tmp_path_factory.mktemp("src") / EXAMPLE.name
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index"]
    done = subprocess.run(
        [*pip, "-q", "--target", str(target), str(source)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return target


def environment(site: Path | None, home: Path, **extra: str) -> dict[str, str]:
    """This process's environment without NETRAVEN_* settings, plus ``site`` on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAVEN_") and k != "PYTHONPATH"}
    env.update(FAST, NETRAVEN_HOME=str(home), **extra)
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return env


def python(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run this interpreter outside the checkout (so nothing is imported from it by accident)."""
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def plugins_list(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        python(["-m", "netraven", "plugins", "list", "--json"], env, cwd).stdout
    )
    return data


def test_installed_plugin_is_listed_with_its_job_type(site: Path, tmp_path: Path) -> None:
    listed = plugins_list(environment(site, tmp_path / "home"), tmp_path)
    plugin = next(p for p in listed["plugins"] if p["name"] == "uptime")
    assert plugin["status"] == "loaded", plugin["reason"]
    assert (plugin["distribution"], plugin["version"]) == ("netraven-plugin-uptime", "0.1.0")
    assert plugin["source"] == "entry point uptime = netraven_uptime"
    job = next(j for j in listed["job_types"] if j["name"] == "uptime")
    assert job["plugin"] == "uptime"
    assert job["parameters"]["reboot_threshold_hours"] | {"help": ""} == {
        "type": "int", "default": 24, "required": False, "help": "", "choices": None,
    }  # fmt: skip
    assert {"backup", "command"} <= {j["name"] for j in listed["job_types"]}  # built-ins, same path

    without = plugins_list(environment(None, tmp_path / "home"), tmp_path)  # the shared venv alone
    assert "uptime" not in {p["name"] for p in without["plugins"]}


@pytest.mark.slow
def test_uptime_and_config_changes_end_to_end(
    site: Path, fresh_engine: Engine, simulated_fleet: Callable[..., FleetProcess], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    before_boot = time.monotonic()
    fleet = simulated_fleet(len(PLATFORMS), platforms=PLATFORMS)
    load_fleet(
        fresh_engine, make_settings(home), fleet.devices, fleet.credentials, fleet.description["secret"]
    )
    ios, nxos, eos, junos = (d["hostname"] for d in fleet.devices)
    changes = tmp_path / "changes.jsonl"
    env = environment(
        site,
        home,
        NETRAVEN_DATABASE__URL=fresh_engine.url.render_as_string(hide_password=False),
        NETRAVEN_UPTIME_CHANGES_FILE=str(changes),
    )

    def run(*jobs: tuple[str, dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
        done = python(["-c", RUN_JOBS, json.dumps(jobs)], env, tmp_path)
        return [json.loads(line) for line in done.stdout.splitlines()], done.stderr

    runs, log = run(("uptime", {}), ("uptime", {"reboot_threshold_hours": "0"}), ("backup", {}))
    oldest_possible = time.monotonic() - before_boot  # the simulator's devices booted after before_boot
    default, zero, backup = runs

    # Junos prints its uptime in "show system uptime", the others in "show version": all succeed.
    assert (default["status"], zero["status"], backup["status"]) == ("succeeded", "succeeded", "succeeded")
    stored = results(fresh_engine, default["run_id"])
    for hostname, row in stored.items():
        assert (row.status, row.error_kind) == ("succeeded", None), hostname
        output, seconds = row.output, row.output["uptime_seconds"]
        assert 0 <= seconds <= oldest_possible, hostname
        assert output == {
            "uptime_seconds": seconds,
            "rebooted_recently": True,  # up for less than the default 24 hours
            "summary": f"up 0:{seconds // 60:02d}",
        }
    flags = {
        host: row.output.get("rebooted_recently")
        for host, row in results(fresh_engine, zero["run_id"]).items()
    }
    assert flags == {ios: False, nxos: False, eos: False, junos: False}  # no host is up for less than 0 hours
    assert (
        f"netraven_uptime: run {default['run_id']} (uptime) succeeded: 4/4 hosts succeeded, 0 failed" in log
    )

    # The first backup stores every device's first version: one changes line each, no config text.
    first = read_changes(changes)
    assert sorted(line["hostname"] for line in first) == sorted([ios, nxos, eos, junos])
    assert all(line["first_version"] and line["diff_lines"] > 100 for line in first)

    fleet.configure(eos, ["interface Loopback77", "description changed-by-example-test"])
    (second,), log = run(("backup", {}))
    assert second["status"] == "succeeded"
    assert f"netraven_uptime: run {second['run_id']} (backup) succeeded: 4/4 hosts succeeded" in log
    backed_up = results(fresh_engine, second["run_id"])[eos].output  # the backup's own count of the change
    assert backed_up["changed"] and backed_up["changed_lines"] >= 2  # the interface and its description
    added = read_changes(changes)[len(first) :]
    assert [(c["hostname"], c["platform"], c["first_version"], c["diff_lines"]) for c in added] == [
        (eos, "arista_eos", False, backed_up["changed_lines"])
    ]
    assert "changed-by-example-test" not in changes.read_text() and "interface" not in changes.read_text()


def results(engine: Engine, run_id: int) -> dict[str, JobResult]:
    """The run's stored JobResults by hostname (detached, loaded)."""
    with Session(engine, expire_on_commit=False) as session:
        rows = session.scalars(select(JobResult).where(JobResult.run_id == run_id)).all()
        return {row.hostname: row for row in rows}


def read_changes(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- the plugin's parts, in process (imported from the example's source, not installed) -----------


JUNOS_SYSTEM_UPTIME = """\
Current time: 2024-03-01 12:00:00 UTC
Time Source:  NTP CLOCK
System booted: 2024-02-18 08:55:00 UTC (1w4d 03:05 ago)
Protocols started: 2024-02-18 08:57:10 UTC (1w4d 03:02 ago)
12:00PM  up 11 days,  3:05, 1 user, load averages: 0.01, 0.02, 0.00
"""


@pytest.fixture
def uptime(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``netraven_uptime.job`` from the example's source (no metadata there: no entry point)."""
    monkeypatch.syspath_prepend(str(EXAMPLE))
    return importlib.import_module("netraven_uptime.job")


@pytest.mark.parametrize(
    ("text", "seconds", "summary"),
    [
        ("sw1 uptime is 1 year, 2 weeks, 3 days, 4 hours, 5 minutes", 33019500, "up 382 days, 4:05"),
        ("Kernel uptime is 1 day(s), 3 hour(s), 4 minute(s), 5 second(s)", 97445, "up 1 day, 3:04"),
        ("Uptime:                 1 week, 2 days, 3 hours and 4 minutes", 788640, "up 9 days, 3:04"),
        ("Uptime: 0 days, 2 hours, 7 minutes", 7620, "up 2:07"),  # the simulator's format
        (JUNOS_SYSTEM_UPTIME, 961500, "up 11 days, 3:05"),
        ("System booted: 2024-03-01 11:23:56 UTC (00:36:04 ago)", 2164, "up 0:36"),
    ],
)
def test_uptime_formats(uptime: ModuleType, text: str, seconds: int, summary: str) -> None:
    job = uptime.Uptime()
    assert job.task(fake_task("cisco_ios", text)).result == seconds
    context = SimpleNamespace(result=[SimpleNamespace(result=seconds)], run=SimpleNamespace(parameters={}))
    context.run.parameters = uptime.Uptime.validate({"reboot_threshold_hours": "48"})
    assert job.handle_result(context) == {
        "uptime_seconds": seconds,
        "rebooted_recently": seconds < 48 * 3600,
        "summary": summary,
    }


def test_unreadable_output_is_a_parse_error(uptime: ModuleType) -> None:
    junos_version = "Hostname: r1\nModel: vmx\nJunos: 21.4R3.15"
    with pytest.raises(DeviceError, match="no uptime found in the output of 'show system uptime'") as exc:
        uptime.Uptime().task(fake_task("juniper_junos", junos_version))
    assert exc.value.kind == "parse"
    with pytest.raises(DeviceError) as exc:
        uptime.Uptime().task(fake_task("cisco_ios", "           ^\n% Invalid input detected at '^' marker."))
    assert exc.value.kind == "command"


def test_threshold_must_not_be_negative(uptime: ModuleType) -> None:
    assert uptime.Uptime.validate({}) == {"reboot_threshold_hours": 24}
    with pytest.raises(JobError, match="'reboot_threshold_hours' must be 0 or more"):
        uptime.Uptime.validate({"reboot_threshold_hours": "-1"})


def fake_task(platform: str, output: str) -> Any:
    """Just enough of a Nornir Task for Uptime.task: a host, and run() returning ``output``."""
    host = SimpleNamespace(name="r1", platform=platform)
    return SimpleNamespace(host=host, run=lambda *args, **kwargs: [SimpleNamespace(result=output)])
