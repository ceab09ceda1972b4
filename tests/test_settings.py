from pathlib import Path

import pytest

from netraven.exceptions import ConfigError
from netraven.settings import load_settings


def test_defaults_need_no_server(tmp_path: Path) -> None:
    settings = load_settings(environ={"NETRAVEN_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'netraven.sqlite3'}"
    assert settings.huey.backend == "sqlite"
    assert settings.key_file == tmp_path / "secret.key"


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path: Path) -> None:
    config = tmp_path / "custom.yaml"
    config.write_text("database:\n  url: sqlite:///from-file.db\n  pool_size: 7\nrunner:\n  num_workers: 8\n")
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_DATABASE__URL": "postgresql://db/from-env"}
    settings = load_settings(config, environ=env)
    assert settings.database.url == "postgresql://db/from-env"  # environment wins over the file
    assert settings.database.pool_size == 7  # the file wins over the default
    assert settings.runner.num_workers == 8
    assert settings.connection.retry_attempts == 3  # untouched default


def test_config_file_found_by_variable_then_in_home(tmp_path: Path) -> None:
    (tmp_path / "netraven.yaml").write_text("runner:\n  num_workers: 11\n")
    assert load_settings(environ={"NETRAVEN_HOME": str(tmp_path)}).runner.num_workers == 11
    other = tmp_path / "other.yaml"
    other.write_text("runner:\n  num_workers: 12\n")
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_CONFIG": str(other)}
    assert load_settings(environ=env).runner.num_workers == 12


def test_environment_types_are_coerced(tmp_path: Path) -> None:
    env = {
        "NETRAVEN_HOME": str(tmp_path),
        "NETRAVEN_BACKUP__REDACT_STORED": "yes",
        "NETRAVEN_CONNECTION__TIMEOUT": "2.5",
        "NETRAVEN_BACKUP__VOLATILE_PATTERNS": "^! Uptime, ^clock",
        "NETRAVEN_HUEY__BACKEND": "redis",
    }
    settings = load_settings(environ=env)
    assert settings.backup.redact_stored is True
    assert settings.connection.timeout == 2.5
    assert settings.backup.volatile_patterns == ("^! Uptime", "^clock")
    assert settings.huey.backend == "redis"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"NETRAVEN_RUNNER__NUM_WORKERS": "many"},
            "runner.num_workers = 'many' (from NETRAVEN_RUNNER__NUM_WORKERS): expected an integer",
        ),
        (
            {"NETRAVEN_HUEY__BACKEND": "kafka"},
            "huey.backend = 'kafka' (from NETRAVEN_HUEY__BACKEND): expected one of sqlite, redis, postgres",
        ),
        (
            {"NETRAVEN_BACKUP__REDACT_STORED": "maybe"},
            "backup.redact_stored = 'maybe' (from NETRAVEN_BACKUP__REDACT_STORED): expected a boolean",
        ),
        (
            {"NETRAVEN_CONNECTION__TIMEOUT": "-1"},
            "connection.timeout = '-1' (from NETRAVEN_CONNECTION__TIMEOUT): expected a number from 0.1 to 86400",
        ),
        ({"NETRAVEN_DATABASE__COLOR": "red"}, "database.color: unknown setting"),
        (
            {"NETRAVEN_SCHEDULER__TIMEZONE": "Mars/Olympus"},
            "scheduler.timezone = 'Mars/Olympus' (from NETRAVEN_SCHEDULER__TIMEZONE): expected an IANA time zone",
        ),
    ],
)
def test_bad_value_fails_with_one_line_naming_key_value_and_expectation(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"NETRAVEN_HOME": str(tmp_path), **env})
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(expected)


def test_bad_value_in_file_is_reported_without_env_hint(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("connection:\n  retry_attempts: [1, 2]\n")
    with pytest.raises(
        ConfigError, match=r"^connection.retry_attempts = '\[1, 2\]': expected an integer from 1 to 100$"
    ):
        load_settings(config, environ={"NETRAVEN_HOME": str(tmp_path)})


def test_unreadable_or_invalid_yaml_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("database: [unclosed\n")
    with pytest.raises(ConfigError, match="is not valid YAML") as info:
        load_settings(bad, environ={"NETRAVEN_HOME": str(tmp_path)})
    assert "\n" not in str(info.value)
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "missing.yaml", environ={"NETRAVEN_HOME": str(tmp_path)})


def test_platform_options_from_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "netraven.yaml"
    config.write_text("connection:\n  platform_options:\n    juniper_junos:\n      global_delay_factor: 2\n")
    from_file = load_settings(config, environ={"NETRAVEN_HOME": str(tmp_path)})
    assert from_file.connection.platform_options == {"juniper_junos": {"global_delay_factor": 2}}
    env = {"NETRAVEN_HOME": str(tmp_path),
           "NETRAVEN_CONNECTION__PLATFORM_OPTIONS": '{"cisco_ios": {"read_timeout_override": 60}}'}  # fmt: skip
    assert load_settings(config, environ=env).connection.platform_options == {
        "cisco_ios": {"read_timeout_override": 60}
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{not json", "connection.platform_options = '{not json' (from NETRAVEN_CONNECTION__PLATFORM_OPTIONS): "
                      "expected a JSON object"),
        ('["cisco_ios"]', "expected a mapping"),
        ('{"cisco_iso": {}}', "connection.platform_options.cisco_iso: unknown platform (did you mean 'cisco_ios'?)"),
        ('{"cisco_ios": 3}', "connection.platform_options.cisco_ios: expected a mapping of netmiko options, got 3"),
        ('{"cisco_ios": {"global_delay_facter": 2}}',
         "connection.platform_options.cisco_ios.global_delay_facter: unknown netmiko option "
         "(did you mean 'global_delay_factor'?)"),
        ('{"cisco_ios": {"password": "x"}}',
         "connection.platform_options.cisco_ios.password: not an option here (addresses and credentials "
         "come from the inventory)"),
    ],
)  # fmt: skip
def test_bad_platform_options_fail_in_one_line(tmp_path: Path, value: str, message: str) -> None:
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_CONNECTION__PLATFORM_OPTIONS": value}
    with pytest.raises(ConfigError) as failure:
        load_settings(environ=env)
    assert message in str(failure.value) and "\n" not in str(failure.value)


def test_repr_hides_keys_and_database_password(tmp_path: Path) -> None:
    key = "nWv2cQ6pX3dI1k4wT8zq5Jm0yR7uE9oA2sD6fG1hK3c="
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_CREDENTIALS__KEYS": key,
           "NETRAVEN_DATABASE__URL": "postgresql://netraven:Pg-S3cret@db/netraven"}  # fmt: skip
    settings = load_settings(environ=env)
    assert settings.credentials.keys == (key,) and "Pg-S3cret" in settings.database_url
    assert key not in repr(settings) and "Pg-S3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("lease", "heartbeat", "beat"),
    [("0", "", "1"), ("1", "", "1"), ("10", "6", "6")],
    ids=["zero-lease", "lease-under-two-beats", "heartbeat-too-slow"],
)
def test_a_lease_shorter_than_two_heartbeats_is_refused(
    tmp_path: Path, lease: str, heartbeat: str, beat: str
) -> None:
    env = {"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_SCHEDULER__LEASE_SECONDS": lease}
    if heartbeat:
        env["NETRAVEN_SCHEDULER__HEARTBEAT_SECONDS"] = heartbeat
    with pytest.raises(ConfigError) as info:
        load_settings(environ=env)
    assert str(info.value) == (
        f"scheduler.lease_seconds = {lease}: must be at least twice the heartbeat interval ({beat} s, "
        "scheduler.heartbeat_seconds), else live runs are taken for dead"
    )
    ok = load_settings(environ={"NETRAVEN_HOME": str(tmp_path), "NETRAVEN_SCHEDULER__LEASE_SECONDS": "4"})
    assert ok.scheduler.heartbeat_interval == 1.0
    assert load_settings(environ={"NETRAVEN_HOME": str(tmp_path)}).scheduler.heartbeat_interval == 30.0
