"""The plugin manager: plugins from the ``netraven.plugins`` entry points, and their job types.

Built-in job types (``netraven_jobs``) load exactly as third-party plugins do. Each call of
:func:`create_plugin_manager` builds a new manager; nothing is loaded at import time.
"""

from netraven.plugins.manager import (
    DISABLE_ENV,
    ENTRY_POINT_GROUP,
    NetRavenPluginManager,
    PluginInfo,
    PluginStatus,
    create_plugin_manager,
    describe_plugins,
)
from netraven.plugins.notify import HookFailure, notify

__all__ = [
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "HookFailure",
    "NetRavenPluginManager",
    "PluginInfo",
    "PluginStatus",
    "create_plugin_manager",
    "describe_plugins",
    "notify",
]
