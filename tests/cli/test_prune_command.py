"""``netraven prune`` through click on SQLite and PostgreSQL: a table of counts per kind (or JSON),
a dry run that deletes nothing, the audit row, and bad settings refused in one line."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.orm import sessionmaker

from netraven.cli import main
from netraven.db import create_engine_for_url
from netraven.retention import prune
from netraven.settings import RetentionSettings
from tests.retention.history import SMALL, build, row_counts

POLICY = {
    "NETRAVEN_RETENTION__RUN_DAYS": "30",
    "NETRAVEN_RETENTION__TRANSCRIPT_DAYS": "7",
    "NETRAVEN_RETENTION__CONFIG_VERSIONS": "5",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> dict[str, str]:
    env = {"NETRAVEN_DATABASE__URL": new_database_url(request.param), "COLUMNS": "160"}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    try:
        build(engine, SMALL)
    finally:
        engine.dispose()
    return env


def cli(env: dict[str, str], *args: str, **extra: str) -> Result:
    return CliRunner().invoke(main, list(args), env={**env, **extra})


def counts(env: dict[str, str]) -> dict[str, int]:
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    try:
        return row_counts(engine)
    finally:
        engine.dispose()


def test_dry_run_then_prune(env: dict[str, str]) -> None:
    before = counts(env)
    engine = create_engine_for_url(env["NETRAVEN_DATABASE__URL"])
    try:  # the domain's own count of the same policy (the data is months old: the clock barely matters)
        settings = RetentionSettings(run_days=30, transcript_days=7, config_versions=5)
        want = prune(sessionmaker(engine), settings, dry_run=True).counts
    finally:
        engine.dispose()
    assert want["runs"] == SMALL.runs and want["config versions"] > 0

    dry = cli(env, "prune", "--dry-run", **POLICY)
    assert dry.exit_code == 0, dry.output
    assert "Would delete" in dry.output and "Dry run: nothing deleted" in dry.output
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in dry.output.splitlines()]
    table = {row[0]: row[1] for row in cells if len(row) == 3}
    assert {kind: table[kind] for kind in want} == {kind: f"{count:,}" for kind, count in want.items()}
    assert "Kept: runs 30 days, transcripts 7 days, config versions: the newest 5 per device" in dry.output
    longer = cli(env, "prune", "--dry-run", **{**POLICY, "NETRAVEN_RETENTION__TRANSCRIPT_DAYS": "60"})
    assert "Kept: runs 30 days, transcripts 30 days," in longer.output  # they go with their runs
    assert counts(env) == before

    data = json.loads(cli(env, "prune", "--dry-run", "--json", **POLICY).stdout)
    assert data["dry_run"] is True and data["would_delete"] == {
        k.replace(" ", "_"): v for k, v in want.items()
    }

    done = json.loads(cli(env, "prune", "--json", **POLICY).stdout)
    assert done["deleted"] == data["would_delete"] and done["batches"] > 0
    assert {kind: before[kind] - n for kind, n in counts(env).items()} == want

    trail = json.loads(cli(env, "audit", "list", "--json", "--action", "retention.prune").stdout)["items"]
    assert len(trail) == 1 and trail[0]["outcome"] == "succeeded" and trail[0]["changes"] == done["deleted"]
    assert trail[0]["actor_kind"] == "cli"

    again = cli(env, "prune", **POLICY)
    assert again.exit_code == 0 and "0 row(s) deleted" in again.output


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("NETRAVEN_RETENTION__RUN_DAYS", "-5", "retention.run_days = '-5' (from NETRAVEN_RETENTION__RUN_DAYS): "
         "expected an integer from 0 to 100000"),
        ("NETRAVEN_RETENTION__BATCH_SIZE", "lots", "retention.batch_size = 'lots'"),
        ("NETRAVEN_RETENTION__DAILY_AT", "3h30", "retention.daily_at = '3h30'"),
    ],
)  # fmt: skip
def test_bad_settings_are_refused_in_one_line(
    env: dict[str, str], variable: str, value: str, message: str
) -> None:
    before = counts(env)
    result = cli(env, "prune", **{**POLICY, variable: value})
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {message}") and result.stderr.count("\n") == 1
    assert counts(env) == before


def test_help_names_the_rules() -> None:
    result = CliRunner().invoke(main, ["prune", "--help"])
    assert result.exit_code == 0 and "--dry-run" in result.output and "git history" in result.output
