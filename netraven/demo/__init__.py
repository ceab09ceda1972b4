"""``netraven demo``: a simulated fleet backed up, changed and backed up again, in its own directory."""

from netraven.demo.scenario import DEMO_FAILURES, DemoResult, DemoSteps, demo_settings, prepare_home, run_demo

__all__ = ["DEMO_FAILURES", "DemoResult", "DemoSteps", "demo_settings", "prepare_home", "run_demo"]
