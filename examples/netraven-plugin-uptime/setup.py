"""netraven-plugin-uptime: an example third-party NetRaven plugin (job type ``uptime``)."""

from setuptools import setup

setup(
    name="netraven-plugin-uptime",
    version="0.1.0",
    description="NetRaven job type 'uptime': each device's uptime, and which rebooted recently",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=["netraven_uptime"],
    package_data={"netraven_uptime": ["py.typed"]},
    install_requires=["netraven"],
    # NetRaven finds plugins through this entry point group: "uptime" is the plugin's name.
    entry_points={"netraven.plugins": ["uptime = netraven_uptime"]},
)
