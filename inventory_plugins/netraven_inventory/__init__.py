"""The ``NetRavenInventory`` Nornir inventory plugin: Nornir hosts from NetRaven's database."""
