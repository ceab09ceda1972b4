"""Byte-compile NetRaven before timing whole processes, as ``pip install`` does for the wheel.

An editable install (``pip install -e .``) leaves NetRaven's modules uncompiled; Python caches their
bytecode on first import, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on the machines these
benchmarks run on), in which case every process compiles some eighty modules from source again:
a third of a second per start that no wheel install pays. The benchmarks that time whole processes
call :func:`compile_netraven` first and print what it did.
"""

from __future__ import annotations

import compileall
import importlib
import os
from pathlib import Path

PACKAGES = ("netraven", "netraven_jobs", "netraven_inventory")


def compile_netraven() -> str:
    """Write the ``__pycache__`` of NetRaven's packages where they are imported from; a line saying so."""
    for name in PACKAGES:
        directory = Path(importlib.import_module(name).__file__ or "").parent
        compileall.compile_dir(directory, quiet=1)
    setting = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return (
        f"bytecode: {', '.join(PACKAGES)} byte-compiled before timing, as a wheel install is "
        f"(PYTHONDONTWRITEBYTECODE={setting or 'unset'})"
    )
