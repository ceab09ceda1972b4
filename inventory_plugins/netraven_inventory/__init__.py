"""The ``NetRavenInventory`` Nornir inventory plugin: Nornir hosts from NetRaven's database."""

from typing import Any


class NetRavenInventory:
    """Placeholder until the inventory plugin lands (issue 4)."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def load(self) -> Any:
        raise NotImplementedError("NetRavenInventory is not implemented yet")
