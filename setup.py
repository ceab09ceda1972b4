"""NetRaven: network configuration backup and automation on Nornir."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = {}
exec((HERE / "netraven" / "_version.py").read_text(), VERSION)

setup(
    name="netraven",
    version=VERSION["__version__"],
    description="Network configuration backup and automation framework built on Nornir",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=[
        *find_packages(include=["netraven", "netraven.*"]),
        "netraven_jobs",
        "netraven_notify",
        "netraven_inventory",
        "netraven.migrations",
        "netraven.migrations.versions",
    ],
    package_dir={
        "netraven_jobs": "plugins/netraven_jobs",
        "netraven_notify": "plugins/netraven_notify",
        "netraven_inventory": "inventory_plugins/netraven_inventory",
        "netraven.migrations": "alembic",
        "netraven.migrations.versions": "alembic/versions",
    },
    package_data={
        "netraven": ["py.typed"],
        "netraven.web": ["templates/**/*.html", "static/**/*"],
        "netraven.platforms": ["data/*.yaml"],
        "netraven.migrations": ["script.py.mako", "README"],
        "netraven.simulator.profiles": ["*.yaml"],
    },
    install_requires=[
        "nornir>=3.4",
        "nornir-netmiko>=1.0",
        "nornir-utils>=0.2",
        "netmiko>=4.3",
        "ntc-templates>=4.0",  # TextFSM templates parsing the facts a backup reads
        "textfsm>=1.1",
        "sqlalchemy>=2.0.25",
        "psycopg2-binary>=2.9.9",
        "alembic>=1.13",
        "huey>=3.1",
        "click>=8.1",
        "pluggy>=1.4",
        "cryptography>=42",
        "rich>=13.7",
        "croniter>=2.0",
        "pyyaml>=6.0",
        "asyncssh>=2.14",
        "dulwich>=0.22",
        "google-re2>=1.1",
        "platformdirs>=4.0",
        "fastapi>=0.110",
        "uvicorn>=0.29",
        "pydantic>=2.6",
        "argon2-cffi>=23.1",
        "PyJWT>=2.8",
        "python-multipart>=0.0.9",
        "jinja2>=3.1",
        "httpx>=0.27",
        "icmplib>=3.0",
    ],
    extras_require={
        "redis": ["redis>=5.0"],
        "postgres-queue": ["psycopg[binary]>=3.2"],
        "dev": [
            "pytest>=8.0",
            "pytest-timeout>=2.3",
            "pytest-xdist>=3.5",
            "ruff>=0.6",
            "mypy>=1.10",
            "types-PyYAML>=6.0",
            "redis>=5.0",
            "psycopg[binary]>=3.2",
            "setuptools>=68",
            "wheel>=0.42",
            "httpx>=0.27",
            "playwright>=1.45",
            "aiosmtpd>=1.4",
        ],
    },
    entry_points={
        "console_scripts": ["netraven = netraven.cli:run"],
        "netraven.plugins": ["netraven_jobs = netraven_jobs", "netraven_notify = netraven_notify"],
        "nornir.plugins.inventory": [
            "NetRavenInventory = netraven_inventory:NetRavenInventory",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: System :: Networking",
        "Typing :: Typed",
    ],
)
