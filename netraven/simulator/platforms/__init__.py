"""Per-platform command lines (IOS-like and Junos)."""
