"""Settings: built-in defaults ← a YAML file ← ``NETRAVEN_<SECTION>__<KEY>`` environment variables.

The YAML file is the first of: the ``path`` argument (the CLI's ``--config``), ``$NETRAVEN_CONFIG``,
``netraven.yaml`` in the data directory. The data directory is ``$NETRAVEN_HOME`` or the user's
data directory (``~/.local/share/netraven`` on Linux). A wrong value raises :class:`ConfigError`
with one line naming the key, the value and what was expected.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import types
import typing
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs
import yaml

from netraven import platforms
from netraven.exceptions import ConfigError
from netraven.platforms import check_netmiko_options, closest_platform, known_platforms

ENV_PREFIX = "NETRAVEN_"
DAILY_AT = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# Every number is finite and within these bounds unless RANGES narrows them.
MAX_INT = 2**31 - 1  # fits a 32-bit column
MAX_FLOAT = 1_000_000.0  # seconds: 11 days; larger ones overflow sleep() and socket timeouts
RANGES: dict[str, tuple[float, float]] = {
    "database.pool_size": (1, 10_000),
    "database.max_overflow": (0, 10_000),
    "huey.workers": (1, 10_000),
    "connection.timeout": (0.1, 86_400),
    "connection.auth_timeout": (0.1, 86_400),
    "connection.banner_timeout": (0.1, 86_400),
    "connection.read_timeout": (0.1, 86_400),
    "connection.host_time_limit": (1, MAX_FLOAT),
    "connection.retry_attempts": (1, 100),
    "connection.retry_initial_delay": (0, 3_600),
    "connection.retry_factor": (1, 100),
    "connection.retry_max_delay": (0, 86_400),
    "runner.num_workers": (1, 10_000),
    "runner.processes": (0, 1_024),  # 0: one per core
    "runner.min_hosts_per_process": (1, MAX_INT),
    "runner.shard_size": (0, MAX_INT),  # 0: runs are never split into queue tasks
    "scheduler.tick_seconds": (1, 86_400),
    "scheduler.heartbeat_seconds": (0, 86_400),  # 0: a quarter of lease_seconds
    "scheduler.max_requeues": (0, 100),
    "web.access_token_minutes": (1, 10_080),  # a week
    "web.session_hours": (1, 8_760),  # a year
    "web.min_password_length": (8, 1_024),
    "web.login_max_failures": (1, 1_000),
    "web.login_lockout_minutes": (1, 10_080),
    "web.login_rate_per_minute": (1, 10_000),
    "web.port": (1, 65_535),
    "web.workers": (1, 1_024),
    "web.max_body_bytes": (1_024, MAX_INT),
    "retention.run_days": (0, 100_000),
    "retention.transcript_days": (0, 100_000),
    "retention.config_versions": (0, MAX_INT),
    "retention.config_days": (0, 100_000),
    "retention.batch_size": (1, 10_000),  # ids bound in one statement: under SQLite's 32,766
    "notifications.failing_runs": (1, 1_000),
    "notifications.diff_lines": (1, 100_000),
    "notifications.failing_hosts": (1, 10_000),
    "notifications.timeout": (0.1, 3_600),
    "notifications.retry_attempts": (1, 100),
    "notifications.retry_factor": (1, 100),
    "notifications.senders": (1, 256),
    "reachability.timeout": (0.01, 3_600),
    "reachability.concurrency": (1, 100_000),
    "circuit.failures": (1, 1_000),
    "circuit.cooldown": (1, MAX_FLOAT),
}


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the inventory, jobs, results and config history live."""

    url: str = field(default="", repr=False)  # may hold a password; empty: netraven.sqlite3 in home
    pool_size: int = 20  # PostgreSQL: at least the worker's Nornir threads
    max_overflow: int = 10
    echo: bool = False


@dataclass(frozen=True)
class HueySettings:
    """The task queue between the scheduler and the workers."""

    backend: Literal["sqlite", "redis", "postgres"] = "sqlite"
    url: str = ""  # sqlite: file path (default: huey.sqlite3 in the data directory)
    name: str = "netraven"
    workers: int = 2
    immediate: bool = False


@dataclass(frozen=True)
class CredentialSettings:
    """Encryption of passwords and enable secrets at rest (Fernet; first key encrypts)."""

    keys: tuple[str, ...] = field(default=(), repr=False)  # urlsafe base64 Fernet keys; empty: key_file
    key_file: str = ""  # empty: ``secret.key`` in the data directory, created on first use


@dataclass(frozen=True)
class ConnectionSettings:
    """How NetRaven connects to devices through netmiko."""

    timeout: float = 10.0  # TCP connect timeout (seconds)
    auth_timeout: float = 10.0
    banner_timeout: float = 15.0
    read_timeout: float = 30.0  # per command
    host_time_limit: float = 300.0  # a host taking longer than this is stopped
    fast_cli: bool = True
    retry_attempts: int = 3  # connection attempts on timeout/refused, per credential
    retry_initial_delay: float = 1.0
    retry_factor: float = 2.0
    retry_max_delay: float = 30.0
    # platform -> extra netmiko options ({"juniper_junos": {"global_delay_factor": 2}}); a device's
    # own ``netmiko_options`` (in its data) override these. In the environment: a JSON object.
    platform_options: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class RunnerSettings:
    """Nornir runs."""

    num_workers: int = 50
    processes: int = 0  # shard processes of a large run; 0: one per CPU core (see runner.shards)
    min_hosts_per_process: int = 100  # a run uses a second process from twice this many hosts
    shard_size: int = 0  # hosts per queue task of a larger run (PostgreSQL, shared queue); 0: never


@dataclass(frozen=True)
class BackupSettings:
    """Config backup: history, git, normalisation."""

    git_dir: str = ""  # empty: ``configs.git`` in the data directory
    redact_stored: bool = False  # store redacted configs (DB and git) instead of raw ones
    git_commit: bool = True  # this machine writes git history; false: versions stay pending for one that does
    mask_secrets_for_compare: bool = True
    volatile_patterns: tuple[str, ...] = ()  # extra regexes of lines to ignore when comparing
    min_config_lines: int = 5


@dataclass(frozen=True)
class ReachabilitySettings:
    """The ``reachability`` job type (TCP connect, SSH banner, ICMP; no login), and what runs do with it."""

    timeout: float = 2.0  # seconds per device for the TCP connect and the banner, and for one ping
    concurrency: int = 500  # devices checked at once (each holds a socket)
    banner: bool = True  # also wait for the service's first bytes (the SSH version line)
    icmp: bool = True  # also ping, where the system allows unprivileged ICMP (net.ipv4.ping_group_range)
    skip_unreachable_after: float = 0.0  # runs that log in skip devices unreachable this long (s); 0: never


@dataclass(frozen=True)
class CircuitSettings:
    """The per-device circuit breaker of runs that log in (see docs/circuit-breaker.md)."""

    enabled: bool = True
    failures: int = 3  # connection or timeout failures in a row that open a device's circuit
    cooldown: float = 900.0  # seconds an open circuit skips the device before one trial run


@dataclass(frozen=True)
class SchedulerSettings:
    """When due jobs run."""

    timezone: str = "UTC"
    tick_seconds: int = 60
    lease_seconds: int = 120  # a running JobRun without a heartbeat for this long is dead
    heartbeat_seconds: float = 0.0  # how often a running run renews it; 0: lease_seconds / 4, at least 1
    on_dead_run: Literal["fail", "requeue"] = "fail"
    max_requeues: int = 2  # with on_dead_run: requeue, a run is re-queued at most this many times

    @property
    def heartbeat_interval(self) -> float:
        """Seconds between two heartbeats of a running run."""
        return self.heartbeat_seconds or max(1.0, self.lease_seconds / 4)


@dataclass(frozen=True)
class LoggingSettings:
    """The application log (not the per-run JobLog rows)."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


@dataclass(frozen=True)
class WebSettings:
    """The web API and pages (``netraven serve``): signing, lifetimes, login rules."""

    secret_key: str = field(default="", repr=False)  # signs access tokens; empty: web-secret.key file
    access_token_minutes: int = 15  # lifetime of a JWT from /api/v1/auth/token
    session_hours: int = 12  # lifetime of a browser session
    min_password_length: int = 12
    login_max_failures: int = 5  # failed logins in a row that lock an account...
    login_lockout_minutes: int = 15  # ...for this long
    login_rate_per_minute: int = 10  # login attempts per minute, per user name and per client address
    host: str = "127.0.0.1"  # a non-loopback address without TLS gets a warning
    port: int = 8000
    workers: int = 1  # server processes
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For/-Proto are believed
    cors_origins: tuple[str, ...] = ()  # browser origins allowed cross-site; empty: CORS off
    max_body_bytes: int = 10_000_000  # a larger request body is refused (413)


@dataclass(frozen=True)
class RetentionSettings:
    """How long history is kept (``netraven prune``, and the worker daily); 0 keeps it forever.

    See docs/retention.md. The latest version of a device, a version marked ``keep`` and a run
    still queued or running are never deleted; the git history is never rewritten.
    """

    run_days: int = 0  # ended runs older than this go, with their results, job logs and transcripts
    transcript_days: int = 0  # connection transcripts of ended runs older than this go (runs stay)
    config_versions: int = 0  # per device, the newest N config versions are kept...
    config_days: int = 0  # ...and every version a backup saw within this many days
    batch_size: int = 1_000  # rows deleted per transaction (each one short: no long lock)
    daily_at: str = "03:30"  # HH:MM in scheduler.timezone the worker prunes at; empty: not daily


@dataclass(frozen=True)
class NotificationSettings:
    """Where events (config changed, run failed, device failing, back to normal) are sent; see
    docs/notifications.md. Channels and rules are checked when a run or ``netraven notify`` reads them."""

    channels: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {type: webhook|email, ...}
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {channels, events, tags, jobs}
    failing_runs: int = 3  # a device failing this many runs in a row is reported once
    diff_lines: int = 60  # a config change's diff is cut after this many lines
    failing_hosts: int = 10  # a failed run's message names this many failing hosts
    timeout: float = 10.0  # seconds per delivery attempt (connect, send, answer)
    retry_attempts: int = 4  # attempts per delivery, the first included
    retry_initial_delay: float = 2.0  # seconds before the second attempt...
    retry_factor: float = 2.0  # ...multiplied by this before each next one
    retry_max_delay: float = 60.0
    senders: int = 4  # threads sending deliveries, so one slow receiver does not hold the others
    exit_wait: float = 15.0  # seconds a process ending (``netraven run``) waits for deliveries in flight


@dataclass(frozen=True)
class Settings:
    """Every NetRaven setting; build one with :func:`load_settings`."""

    home: Path = Path(".")
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    huey: HueySettings = field(default_factory=HueySettings)
    credentials: CredentialSettings = field(default_factory=CredentialSettings)
    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    runner: RunnerSettings = field(default_factory=RunnerSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    reachability: ReachabilitySettings = field(default_factory=ReachabilitySettings)
    circuit: CircuitSettings = field(default_factory=CircuitSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    web: WebSettings = field(default_factory=WebSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    # platform -> registry entry: a new platform (a netmiko device type, with ``base:`` or a whole
    # entry) or changes merged into a built-in one; see docs/platforms.md
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        return self.database.url or f"sqlite:///{self.home / 'netraven.sqlite3'}"

    @property
    def key_file(self) -> Path:
        return Path(self.credentials.key_file) if self.credentials.key_file else self.home / "secret.key"

    @property
    def web_secret_file(self) -> Path:
        """Where the access-token signing key is kept when ``web.secret_key`` is empty."""
        return self.home / "web-secret.key"

    @property
    def git_dir(self) -> Path:
        return Path(self.backup.git_dir) if self.backup.git_dir else self.home / "configs.git"


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory: ``$NETRAVEN_HOME`` or the user's data directory."""
    env = os.environ if environ is None else environ
    if env.get("NETRAVEN_HOME"):
        return Path(env["NETRAVEN_HOME"]).expanduser()
    return Path(platformdirs.user_data_dir("netraven", appauthor=False))


def load_settings(
    path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the settings from defaults, then the YAML file, then the environment."""
    env = os.environ if environ is None else environ
    home = default_home(env)
    values: dict[str, Any] = {}
    config_path = Path(path) if path else Path(env["NETRAVEN_CONFIG"]) if env.get("NETRAVEN_CONFIG") else None
    if config_path is None and (home / "netraven.yaml").is_file():
        config_path = home / "netraven.yaml"
    if config_path is not None:
        values = _read_yaml(config_path)
    for name, raw in env.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        values.setdefault(section, {})
        if not isinstance(values[section], dict):
            raise ConfigError(f"{section}: expected a section, got {values[section]!r}", key=section)
        values[section][key] = _EnvValue(raw, name)
    values.setdefault("home", str(home))
    settings: Settings = _build(Settings, values, prefix="")
    _check_timezone(settings.scheduler.timezone, values.get("scheduler", {}).get("timezone"))
    _check_platform_options(settings.connection.platform_options)
    _check_lease(settings.scheduler)
    _check_daily_at(settings.retention.daily_at, values.get("retention", {}).get("daily_at"))
    if settings.platforms:
        settings = dataclasses.replace(settings, platforms=_site_platforms(settings.platforms))
    platforms.use_site(settings.platforms)  # checked: a wrong entry fails here, by name
    return settings


def _check_daily_at(value: str, raw: Any) -> None:
    """``retention.daily_at``: empty, or a time of day as HH:MM (24-hour clock)."""
    if value and not DAILY_AT.fullmatch(value):
        raise ConfigError(
            f"retention.daily_at = {value!r}{_where(raw)}: expected a time of day as HH:MM (such as 03:30), "
            "or empty to prune only on demand",
            key="retention.daily_at",
        )


def _site_platforms(site: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``platforms:`` entries, a JSON object each when from the environment."""
    entries: dict[str, Any] = {}
    for name, entry in site.items():
        if isinstance(entry, _EnvValue):
            try:
                entry = json.loads(entry)
            except json.JSONDecodeError:
                key = f"platforms.{name}"
                raise ConfigError(f"{key}{_where(entry)}: expected a JSON object", key=key) from None
        entries[name] = entry
    return entries


def _check_lease(scheduler: SchedulerSettings) -> None:
    """A run beats at least twice per lease: else a live run is taken for dead and run again."""
    beat = scheduler.heartbeat_interval
    if scheduler.lease_seconds < 2 * beat:
        raise ConfigError(
            f"scheduler.lease_seconds = {scheduler.lease_seconds}: must be at least twice the heartbeat "
            f"interval ({beat:g} s, scheduler.heartbeat_seconds), else live runs are taken for dead",
            key="scheduler.lease_seconds",
        )


def _check_timezone(name: str, raw: Any) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"scheduler.timezone = {name!r}{_where(raw)}: expected an IANA time zone such as Europe/Paris",
            key="scheduler.timezone",
        ) from None


def _check_platform_options(options: Mapping[str, Any]) -> None:
    if not options:
        return
    for platform, netmiko in options.items():
        key = f"connection.platform_options.{platform}"
        if platform not in known_platforms():
            close = closest_platform(platform)
            hint = f"did you mean {close!r}?" if close else "a netmiko device type such as cisco_ios"
            raise ConfigError(f"{key}: unknown platform ({hint})", key=key)
        check_netmiko_options(netmiko, key)


class _EnvValue(str):
    """A raw environment string; remembers its variable name for error messages."""

    def __new__(cls, value: str, variable: str) -> _EnvValue:
        obj = super().__new__(cls, value)
        obj.variable = variable  # type: ignore[attr-defined]
        return obj


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not UTF-8 text (byte {exc.start}): is it YAML?") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path}: expected a mapping of sections, got {type(data).__name__}")
    return data


def _build(cls: type[Any], values: Mapping[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        key = prefix + unknown[0]
        raise ConfigError(f"{key}: unknown setting (known: {', '.join(sorted(known))})", key=key)
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        key = prefix + name
        hint = hints[name]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{key} = {value!r}: expected a section (mapping)", key=key)
            kwargs[name] = _build(hint, value, prefix=key + ".")
        else:
            kwargs[name] = _coerce(key, value, hint)
    return cls(**kwargs)


def _where(value: Any) -> str:
    variable = getattr(value, "variable", None)
    return f" (from {variable})" if variable else ""


def _coerce(key: str, value: Any, hint: Any) -> Any:
    """Convert ``value`` to ``hint`` or raise a one-line ConfigError."""
    from_env = isinstance(value, _EnvValue)

    def fail(expected: str) -> ConfigError:
        return ConfigError(f"{key} = {str(value)!r}{_where(value)}: expected {expected}", key=key)

    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = typing.get_args(hint)
        if value not in choices:
            raise fail("one of " + ", ".join(map(str, choices)))
        return str(value)
    if origin is tuple:
        items = [s.strip() for s in str(value).split(",") if s.strip()] if from_env else value
        if isinstance(items, str) or not isinstance(items, (list, tuple)):
            raise fail("a list")
        return tuple(_coerce(key, item, typing.get_args(hint)[0]) for item in items)
    if origin is dict:
        data = value
        if from_env:
            try:
                data = json.loads(value)
            except json.JSONDecodeError:
                raise fail("a JSON object") from None
        if not isinstance(data, Mapping):
            raise fail("a mapping")
        return {str(k): v for k, v in data.items()}
    if origin in (typing.Union, types.UnionType):
        raise TypeError(f"unsupported settings type {hint}")
    if hint is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise fail("a boolean (true/false)")
    if hint is int or hint is float:
        return _number(key, value, hint, fail)
    if hint is Path:
        if not isinstance(value, str) or not value or not value.isprintable():
            raise fail("a path (printable text)")
        return Path(value).expanduser()
    if hint is str:
        if (
            not isinstance(value, (str, int, float))
            or isinstance(value, bool)
            or not str(value).isprintable()
        ):
            raise fail("a string (printable text)")
        return str(value)
    raise TypeError(f"unsupported settings type {hint}")


def _number(
    key: str, value: Any, hint: type[int] | type[float], fail: Callable[[str], ConfigError]
) -> int | float:
    """A finite int or float within the key's :data:`RANGES` (default: 0 to MAX_INT or MAX_FLOAT)."""
    low, high = RANGES.get(key, (0, MAX_INT if hint is int else MAX_FLOAT))
    bounds = [str(int(bound)) if float(bound).is_integer() else str(bound) for bound in (low, high)]
    expected = f"{'an integer' if hint is int else 'a number'} from {bounds[0]} to {bounds[1]}"
    if isinstance(value, bool):
        raise fail(expected)
    try:
        number = hint(value.strip()) if isinstance(value, str) else value
        if hint is float and isinstance(number, int):
            number = float(number)
    except (ValueError, OverflowError):
        raise fail(expected) from None
    if not isinstance(number, hint) or not math.isfinite(number) or not low <= number <= high:
        raise fail(expected)
    return number
