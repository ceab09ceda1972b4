"""The wheel holds the right packages and ``netraven db upgrade`` runs from it, outside the checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from netraven.db import migrate

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
    assert tops == {"netraven", "netraven_jobs", "netraven_inventory"}
    for required in ("netraven/py.typed", "netraven/migrations/env.py", "netraven/migrations/script.py.mako"):
        assert required in names
    assert any(n.startswith("netraven/migrations/versions/0001_") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "netraven = netraven.cli:main" in text
    assert "[netraven.plugins]" in text and "[nornir.plugins.inventory]" in text


def test_installed_wheel_migrates_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "NETRAVEN_HOME": str(tmp_path / "home")}
    code = (
        "import netraven, sys; print(netraven.__file__); sys.argv[1:] = ['db', 'upgrade']; "
        "from netraven.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target))  # the wheel's copy, not the checkout
    assert f"upgraded from empty to {migrate.head_revision()}" in done.stdout
