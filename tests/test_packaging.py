"""The wheel holds the right packages, and installed with its dependencies in a new venv it backs up a fleet."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("src") / "netraven"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".venv"
        ),
    )
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("netraven-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("netraven-")}
    assert tops == {"netraven", "netraven_jobs", "netraven_notify", "netraven_inventory"}
    for required in (
        "netraven/py.typed",
        "netraven/migrations/env.py",
        "netraven/migrations/script.py.mako",
        "netraven/web/templates/base.html",
        "netraven/web/static/netraven.css",
        "netraven/web/static/vendor/htmx/htmx.min.js",
        "netraven/web/static/vendor/htmx/LICENSE",
        "netraven/simulator/profiles/cisco_ios.yaml",
        "netraven/simulator/profiles/cisco_xe.yaml",
        "netraven/platforms/data/_generic.yaml",
        "netraven/platforms/data/cisco_ios.yaml",
    ):
        assert required in names
    assert any(n.startswith("netraven/migrations/versions/0001_") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "netraven = netraven.cli:run" in text
    assert "[netraven.plugins]" in text and "[nornir.plugins.inventory]" in text


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv outside the checkout with the wheel and its dependencies, installed by pip from the index."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install", "-q"]
    installed = subprocess.run(
        [*pip, "--no-compile", str(wheel)], capture_output=True, text=True, check=False, timeout=600
    )
    assert installed.returncode == 0, installed.stderr
    return root


@pytest.mark.slow
def test_installed_wheel_backs_up_a_fleet_outside_the_checkout(venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("NETRAVEN_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["NETRAVEN_HOME"] = str(tmp_path / "home")

    def netraven(*args: str, home: Path | None = None) -> str:
        done = subprocess.run(
            [str(venv / "bin" / "netraven"), *args],
            cwd=elsewhere,
            env={**env, "NETRAVEN_HOME": str(home)} if home else env,
            capture_output=True,
            text=True,
            check=False,
            timeout=240,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import netraven; print(netraven.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv))  # the wheel's copy, not the checkout
    demo = tmp_path / "demo"
    out = netraven("demo", "--devices", "4", "--home", str(demo))
    assert "Devices backed up: 4 of 4" in out
    stored = json.loads(netraven("config", "search", r"^\s*host-?name ", "--json", home=demo))
    assert len({match["hostname"] for match in stored}) == 4
