"""NetRaven: network configuration backup and automation on Nornir."""

from netraven._version import __version__
from netraven.exceptions import NetRavenError
from netraven.settings import Settings, load_settings

__all__ = ["NetRavenError", "Settings", "__version__", "load_settings"]
