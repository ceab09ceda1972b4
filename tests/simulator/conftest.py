pytest_plugins = ["netraven.simulator.pytest_plugin"]
