"""The fault suite runs backups like the runner tests: fresh databases, simulated fleets over SSH."""

from tests.runner.conftest import engine, lab, plugin_manager, recorder, settings  # noqa: F401
