"""The layers of DESIGN.md hold: no package under ``netraven/`` imports one above it.

Every ``import`` in every module counts, those inside functions and ``if TYPE_CHECKING:`` too.
Packages of one layer may import each other, but never in a cycle.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "netraven"

LAYERS: dict[str, tuple[str, ...]] = {
    "base": ("_version", "lazy", "exceptions", "redaction", "platforms", "settings", "datadir", "principal"),
    "data": ("db",),
    "domain": (
        "inventory",
        "credentials",
        "configs",
        "jobs",
        "logs",
        "logimport",
        "toolimport",
        "users",
        "audit",
        "retention",
        "notifications",
    ),
    "engine": ("connections", "plugins", "hookspecs", "nornir_factory", "runner", "scheduler"),
    # The package itself (``import netraven``) is the Python API: a face like the CLI.
    "faces": ("cli", "web", "demo", "simulator", "__main__", ""),
}
RANK = {package: rank for rank, packages in enumerate(LAYERS.values()) for package in packages}
LAYER = {package: layer for layer, packages in LAYERS.items() for package in packages}


def package_of(root: Path, path: Path) -> str:
    """``netraven/jobs/runs.py`` -> ``jobs``; ``netraven/settings.py`` -> ``settings``; the root -> ``""``."""
    parts = path.relative_to(root).with_suffix("").parts
    return "" if parts == ("__init__",) else parts[0]


def imported_packages(root: Path, path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, module as written, package of ``netraven`` it reaches) for each import in ``path``."""
    module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: ``.`` is this module's package, ``..`` its parent...
                package = module.split(".")[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            # ``from netraven import settings`` reaches a module; ``from netraven import X`` the package
            names = [f"{base}.{alias.name}" if base == "netraven" else base for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != "netraven":
                continue
            target = parts[1] if len(parts) > 1 else ""
            if target and not ((root / target).is_dir() or (root / f"{target}.py").is_file()):
                target = ""  # a name the package exports (``from netraven import hookimpl``)
            yield node.lineno, name, target


def violations(root: Path) -> list[str]:
    """One line per import that breaks the layers, by module and line."""
    found: list[str] = []
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        source = package_of(root, path)
        where = path.relative_to(root.parent)
        if source not in RANK:
            found.append(f"{where}: package netraven.{source} is in no layer of DESIGN.md")
            continue
        for line, name, target in imported_packages(root, path):
            if target == source:
                continue
            if target not in RANK:
                found.append(f"{where}:{line}: imports {name}, a package in no layer of DESIGN.md")
            elif RANK[target] > RANK[source]:
                found.append(
                    f"{where}:{line}: {LAYER[source]} package netraven.{source or '(root)'} imports {name} "
                    f"from the {LAYER[target]} layer above it"
                )
            elif RANK[target] == RANK[source]:
                edges.setdefault((source, target), []).append(f"{where}:{line}")
    for (source, target), places in sorted(edges.items()):
        if _reaches(edges, target, source):
            found += [
                f"{place}: netraven.{source} imports netraven.{target}, which imports it back (a cycle)"
                for place in places
            ]
    return found


def _reaches(edges: dict[tuple[str, str], list[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        for source, target in edges:
            if source == current and target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def test_no_package_imports_a_layer_above_it() -> None:
    assert violations(ROOT) == []


def test_every_package_has_a_layer() -> None:
    packages = {package_of(ROOT, path) for path in ROOT.rglob("*.py")}
    assert packages <= set(RANK), sorted(packages - set(RANK))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "netraven"
    files = {
        "__init__.py": "from netraven.settings import load_settings\n",
        "settings.py": "def load():\n    from netraven.inventory import devices\n",
        "inventory/__init__.py": "",
        "inventory/devices.py": "from netraven.credentials.store import x\n",
        "credentials/__init__.py": "",
        "credentials/store.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from netraven.inventory import y\n",
        "jobs/__init__.py": "from netraven import hookimpl\nfrom . import runs\n",
        "jobs/runs.py": "from ..runner import run_job\n",
        "runner/__init__.py": "",
        "cli/__init__.py": "from netraven.jobs import runs\n",
    }  # fmt: skip
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def test_the_check_finds_each_kind_of_violation(tree: Path) -> None:
    assert violations(tree) == [
        "netraven/jobs/__init__.py:1: domain package netraven.jobs imports netraven.hookimpl "
        "from the faces layer above it",
        "netraven/jobs/runs.py:1: domain package netraven.jobs imports netraven.runner "
        "from the engine layer above it",
        "netraven/settings.py:2: base package netraven.settings imports netraven.inventory "
        "from the domain layer above it",
        "netraven/credentials/store.py:3: netraven.credentials imports netraven.inventory, "
        "which imports it back (a cycle)",
        "netraven/inventory/devices.py:1: netraven.inventory imports netraven.credentials, "
        "which imports it back (a cycle)",
    ]
