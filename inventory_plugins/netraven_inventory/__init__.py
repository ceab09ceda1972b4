"""The ``NetRavenInventory`` Nornir inventory plugin: Nornir hosts from NetRaven's database."""

from netraven_inventory.host import NetRavenHost
from netraven_inventory.plugin import NetRavenInventory

__all__ = ["NetRavenHost", "NetRavenInventory"]
