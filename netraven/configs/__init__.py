"""Config history: normalisation, versions in the database, one git commit per run, diffs, search."""

from netraven.configs.git_history import DeviceFile, GitHistory, device_filename
from netraven.configs.git_sync import GitSync, pending_count
from netraven.configs.normalize import config_hash, normalize, validate_config
from netraven.configs.queries import Match, StoredConfig, VersionInfo
from netraven.configs.store import ConfigStore, SaveOutcome

__all__ = [
    "ConfigStore",
    "DeviceFile",
    "GitHistory",
    "GitSync",
    "Match",
    "SaveOutcome",
    "StoredConfig",
    "VersionInfo",
    "config_hash",
    "device_filename",
    "normalize",
    "pending_count",
    "validate_config",
]
