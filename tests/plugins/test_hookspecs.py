"""Every hook is specified, typed and documented; ``hookimpl`` is public."""

from __future__ import annotations

import inspect
import typing

import pytest

import netraven
from netraven import hookspecs
from netraven.jobs import base

SPECS = [name for name, obj in vars(hookspecs).items() if name.startswith("netraven_") and callable(obj)]


def test_the_documented_hooks_exist() -> None:
    assert set(SPECS) >= {
        "netraven_register_job_types",
        "netraven_run_started",
        "netraven_host_completed",
        "netraven_run_finished",
        "netraven_config_changed",
    }


@pytest.mark.parametrize("name", SPECS)
def test_every_hook_is_a_spec_with_a_docstring_saying_when_and_what_it_returns(name: str) -> None:
    func = getattr(hookspecs, name)
    assert hasattr(func, "netraven_spec"), f"{name} is not marked with @hookspec"
    doc = inspect.getdoc(func) or ""
    assert "Called" in doc and ":return:" in doc, f"{name}: say when it fires and what its return means"


@pytest.mark.parametrize("name", SPECS)
def test_every_hook_argument_is_typed(name: str) -> None:
    namespace = {**vars(base), **vars(__import__("netraven.jobs.events", fromlist=["_"]))}
    hints = typing.get_type_hints(getattr(hookspecs, name), globalns=namespace)
    params = inspect.signature(getattr(hookspecs, name)).parameters
    assert set(params) | {"return"} == set(hints)


def test_hookimpl_is_exported_from_the_package() -> None:
    assert netraven.hookimpl is hookspecs.hookimpl and "hookimpl" in netraven.__all__
