"""A job type runs as a Nornir task and hands its result to its result handler."""

from __future__ import annotations

from typing import Any, cast

from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.plugins.runners import SerialRunner

from netraven.jobs import HostContext, RunInfo
from netraven.plugins import create_plugin_manager
from netraven.redaction import Redactor
from netraven.settings import Settings
from tests.plugins import toy


def test_toy_job_type_runs_through_nornir_and_its_handler() -> None:
    pm = create_plugin_manager(entry_points=False, plugins=[toy.GoodPlugin()])
    job_cls = pm.job_types.job_type("echo")
    params = job_cls.validate({"message": "hi", "times": "2", "shout": "true"})
    nr = Nornir(
        inventory=Inventory(hosts=Hosts({"r1": Host("r1")}), groups=Groups(), defaults=Defaults()),
        runner=SerialRunner(),
    )
    job = job_cls()
    results = nr.run(task=job.task, **params)
    assert results["r1"][0].result == "HI HI"
    context = HostContext(
        session=cast(Any, None),
        settings=Settings(),
        run=RunInfo(run_id=1, job_id=None, job_type="echo", parameters=params),
        device_id=1,
        hostname="r1",
        platform="cisco_ios",
        result=results["r1"],
        redactor=Redactor(),
    )
    assert job.handle_result(context) == {"said": "HI HI"}
