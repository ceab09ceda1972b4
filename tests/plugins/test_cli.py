"""``netraven plugins list`` shows the built-in plugin, job types and failures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from netraven.cli import main


def test_list_json_shows_the_built_in_plugin_as_loaded() -> None:
    result = CliRunner().invoke(main, ["plugins", "list", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    builtin = next(p for p in data["plugins"] if p["name"] == "netraven_jobs")
    assert builtin["status"] == "loaded" and builtin["distribution"] == "netraven"
    assert isinstance(data["job_types"], list)


def test_list_table_shows_blocked_plugins() -> None:
    result = CliRunner().invoke(main, ["plugins", "list"], env={"NETRAVEN_DISABLE_PLUGINS": "netraven_jobs"})
    assert result.exit_code == 0, result.output
    assert "netraven_jobs" in result.output and "blocked" in result.output


def test_list_table_shows_job_types_with_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    from netraven import plugins
    from netraven.plugins import create_plugin_manager
    from tests.plugins import toy

    monkeypatch.setattr(
        plugins,
        "create_plugin_manager",
        lambda: create_plugin_manager(plugins=[toy.GoodPlugin()]),
    )
    result = CliRunner().invoke(main, ["plugins", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "echo" in result.output and "GoodPlugin" in result.output
    assert "message (str, required)" in result.output


def test_a_contract_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from netraven import plugins
    from netraven.plugins import create_plugin_manager
    from tests.plugins import toy

    monkeypatch.setattr(
        plugins, "create_plugin_manager", lambda: create_plugin_manager(plugins=[toy.MisspelledPlugin()])
    )
    result = CliRunner().invoke(main, ["plugins", "list"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "MisspelledPlugin" in result.output
