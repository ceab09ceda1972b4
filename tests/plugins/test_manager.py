"""The plugin manager: entry points, failures by name, blocking, hook checks, job-type registry."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from netraven.exceptions import JobError, PluginError
from netraven.jobs import RunInfo, RunSummary
from netraven.plugins import HookFailure, create_plugin_manager, notify
from tests.plugins import toy

GROUP = "netraven.plugins"


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


GOOD = ep("good", "tests.plugins.toy:good_plugin")
BROKEN = ep("broken", "tests.plugins.broken_plugin")
MISSING = ep("missing", "tests.plugins.no_such_module")


def test_each_call_builds_a_new_manager() -> None:
    first = create_plugin_manager(entry_points=[GOOD])
    second = create_plugin_manager(entry_points=[GOOD])
    assert first is not second and first.job_types is not second.job_types


def test_good_plugin_registers_its_job_type() -> None:
    pm = create_plugin_manager(entry_points=[GOOD])
    assert [(i.name, i.status) for i in pm.infos] == [("good", "loaded")]
    assert pm.job_types.job_type("echo") is toy.Echo
    assert pm.job_types.by_plugin() == {"good": [toy.Echo]}


def test_broken_plugins_are_reported_by_name_and_the_rest_load() -> None:
    pm = create_plugin_manager(entry_points=[BROKEN, GOOD, MISSING])
    failed = {i.name: i.reason for i in pm.failed}
    assert failed == {
        "broken": "ImportError: No module named 'snmp_magic'",
        "missing": "ModuleNotFoundError: No module named 'tests.plugins.no_such_module'",
    }
    assert pm.has_plugin("good") and "echo" in pm.job_types


def test_the_built_in_plugin_loads_from_its_installed_entry_point() -> None:
    pm = create_plugin_manager(disabled=[])
    info = next(i for i in pm.infos if i.name == "netraven_jobs")
    assert info.status == "loaded" and info.distribution == "netraven"


def test_misspelled_hook_fails_loudly_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match=r"plugin 'MisspelledPlugin'.*netraven_run_finshed") as caught:
        create_plugin_manager(entry_points=False, plugins=[toy.MisspelledPlugin()])
    assert caught.value.plugin == "MisspelledPlugin" and "\n" not in str(caught.value)


def test_misspelled_hook_in_an_entry_point_fails_loudly_too() -> None:
    with pytest.raises(PluginError, match="plugin 'typo'"):
        create_plugin_manager(entry_points=[GOOD, ep("typo", "tests.plugins.toy:misspelled_plugin")])


def test_duplicate_job_type_names_are_refused_naming_both_plugins() -> None:
    pm = create_plugin_manager(entry_points=[GOOD, ep("dup", "tests.plugins.toy:duplicate_plugin")])
    with pytest.raises(
        PluginError, match="job type 'echo' registered twice: by plugin 'good' and by plugin 'dup'"
    ):
        pm.job_types  # noqa: B018


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (toy.NotAJobTypePlugin(), "plugin 'NotAJobTypePlugin': <class 'dict'> is not a JobType subclass"),
        (toy.NamelessPlugin(), "plugin 'NamelessPlugin': job type .*Nameless has no name"),
    ],
)
def test_invalid_job_types_are_reported_by_plugin_name(plugin: object, message: str) -> None:
    pm = create_plugin_manager(entry_points=False, plugins=[plugin])
    with pytest.raises(PluginError, match=message):
        pm.job_types  # noqa: B018


def test_duplicate_plugin_names_are_refused() -> None:
    with pytest.raises(PluginError, match="plugin 'GoodPlugin'"):
        create_plugin_manager(entry_points=False, plugins=[toy.GoodPlugin(), toy.GoodPlugin()])
    pm = create_plugin_manager(entry_points=[GOOD, ep("good", "tests.plugins.toy:duplicate_plugin")])
    assert [(i.name, i.status) for i in pm.infos] == [("good", "loaded"), ("good", "failed")]


def test_environment_variable_blocks_plugins_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAVEN_DISABLE_PLUGINS", " broken , netraven_jobs")
    pm = create_plugin_manager(entry_points=[BROKEN, GOOD])
    assert [(i.name, i.status) for i in pm.infos] == [("broken", "blocked"), ("good", "loaded")]
    assert not pm.has_plugin("broken") and pm.failed == []
    assert all(i.name != "netraven_jobs" or i.status == "blocked" for i in create_plugin_manager().infos)


def test_disabled_argument_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAVEN_DISABLE_PLUGINS", "good")
    assert create_plugin_manager(disabled=[], entry_points=[GOOD]).has_plugin("good")
    blocked = create_plugin_manager(disabled=["GoodPlugin"], entry_points=False, plugins=[toy.GoodPlugin()])
    assert blocked.infos[0].status == "blocked" and len(blocked.job_types) == 0


def test_unknown_job_type_lists_the_known_ones() -> None:
    pm = create_plugin_manager(entry_points=[GOOD])
    with pytest.raises(JobError, match=r"^unknown job type 'bakup' \(known: echo\)$"):
        pm.job_types.job_type("bakup")


def test_lifecycle_hooks_reach_plugins() -> None:
    plugin = toy.LifecyclePlugin()
    pm = create_plugin_manager(entry_points=False, plugins=[plugin])
    run = RunInfo(run_id=1, job_id=2, job_type="echo", parameters={"message": "hi"}, triggered_by="ops")
    summary = RunSummary(status="succeeded", hosts_total=1, hosts_succeeded=1, hosts_failed=0)
    pm.hook.netraven_run_started(run=run)
    pm.hook.netraven_run_finished(run=run, summary=summary, services=None)
    assert plugin.calls == [("started", run), ("finished", summary)]


def test_hook_without_the_marker_fails_loudly_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match=r"^plugin 'UnmarkedPlugin': netraven_run_started is not marked"):
        create_plugin_manager(entry_points=False, plugins=[toy.UnmarkedPlugin()])


def test_notify_calls_every_plugin_even_when_one_fails(caplog: pytest.LogCaptureFixture) -> None:
    good = toy.LifecyclePlugin()
    pm = create_plugin_manager(entry_points=False, plugins=[good, toy.FailingNotifier()])
    run = RunInfo(run_id=1, job_id=None, job_type="echo")
    failures = notify(pm, "netraven_run_started", run=run)
    assert failures == [
        HookFailure("FailingNotifier", "netraven_run_started", "RuntimeError: mail server down")
    ]
    assert good.calls == [("started", run)]
    assert "plugin 'FailingNotifier' failed in netraven_run_started" in caplog.text
