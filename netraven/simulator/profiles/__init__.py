"""One YAML profile per simulated platform, named after its netmiko device type (package data)."""
