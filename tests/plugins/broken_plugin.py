"""A plugin whose import fails, as when a plugin's dependency is missing."""

raise ImportError("No module named 'snmp_magic'")
