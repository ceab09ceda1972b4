"""What the job and schedule CLI tests share: a migrated database with two devices, test job types."""

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from netraven.cli import main
from tests.scheduler import jobtypes


def make_env(
    kind: str,
    new_database_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    timezone: str,
    tags: tuple[str, str],
) -> dict[str, str]:
    """CLI environment on a new database of ``kind`` holding r1 and r2 (tagged ``tags``)."""
    monkeypatch.setattr("netraven.plugins.create_plugin_manager", jobtypes.plugin_manager)
    env = {
        "NETRAVEN_DATABASE__URL": new_database_url(kind),
        "NETRAVEN_SCHEDULER__TIMEZONE": timezone,
        "COLUMNS": "200",
    }
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    for name, tag in zip(("r1", "r2"), tags, strict=True):
        added = run(env, "device", "add", name, "--host", "10.0.0.1", "--platform", "cisco_ios", "--tag", tag)
        assert added.exit_code == 0
    return env


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=input)
