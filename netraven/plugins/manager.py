"""Build a pluggy ``PluginManager`` from entry points and explicit plugin objects.

Two kinds of failure, two treatments. A plugin that cannot be imported or registered (a missing
dependency, a hook with wrong arguments) is recorded as failed, by name, and the others still load.
A plugin that registers but breaks the contract (a marked hook no spec knows, an invalid or
duplicate job type) raises :class:`PluginError` naming it: that is a bug to fix or a plugin to
disable with ``NETRAVEN_DISABLE_PLUGINS``, never something to guess around.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from importlib import metadata
from importlib.metadata import EntryPoint
from typing import TYPE_CHECKING, Any, Literal

import pluggy

from netraven import hookspecs
from netraven.exceptions import PluginError

if TYPE_CHECKING:
    from netraven.jobs.registry import JobTypeRegistry

ENTRY_POINT_GROUP = "netraven.plugins"
DISABLE_ENV = "NETRAVEN_DISABLE_PLUGINS"

PluginStatus = Literal["loaded", "failed", "blocked"]


@dataclass(frozen=True)
class PluginInfo:
    """One plugin the manager saw: where it came from and whether it loaded (``reason`` if not)."""

    name: str
    source: str  # "entry point netraven_jobs = netraven_jobs" or "explicit"
    distribution: str | None = None
    version: str | None = None
    status: PluginStatus = "loaded"
    reason: str = ""


class NetRavenPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers what it loaded, what failed and what was blocked."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []

    @property
    def failed(self) -> list[PluginInfo]:
        """Plugins that could not be imported or registered."""
        return [info for info in self.infos if info.status == "failed"]

    @cached_property
    def job_types(self) -> JobTypeRegistry:
        """Every plugin's job types, collected on first use."""
        from netraven.jobs.registry import JobTypeRegistry

        return JobTypeRegistry.from_plugin_manager(self)

    def load_entry_point(self, ep: EntryPoint) -> None:
        """Import and register one entry point; a failure is recorded, not raised."""
        dist = getattr(ep, "dist", None)
        info = PluginInfo(
            ep.name,
            f"entry point {ep.name} = {ep.value}",
            dist.name if dist is not None else None,
            dist.version if dist is not None else None,
        )
        if self.is_blocked(ep.name):
            self.infos.append(_with(info, "blocked", f"disabled by {DISABLE_ENV}"))
            return
        if self.has_plugin(ep.name):
            self.infos.append(_with(info, "failed", "another plugin is already registered by this name"))
            return
        try:
            self.register(ep.load(), name=ep.name)
        except Exception as exc:  # any import or registration error: report it, load the rest
            self.infos.append(_with(info, "failed", _one_line(exc)))
            return
        self.infos.append(info)

    def load_object(self, plugin: object) -> None:
        """Register a plugin object (a module, class or instance); any error is raised."""
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name, "explicit")
        if self.is_blocked(name):
            self.infos.append(_with(info, "blocked", f"disabled by {DISABLE_ENV}"))
            return
        try:
            self.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"plugin {name!r}: {_one_line(exc)}", plugin=name) from exc
        self.infos.append(info)

    def check_hooks(self) -> None:
        """Raise a :class:`PluginError` naming the plugin for a hook no spec knows, or left unmarked."""
        for plugin in self.get_plugins():
            for attr in dir(plugin):
                func = getattr(plugin, attr, None) if attr.startswith(hookspecs.PROJECT + "_") else None
                if inspect.isroutine(func) and self.parse_hookimpl_opts(plugin, attr) is None:
                    name = self.get_name(plugin) or repr(plugin)
                    raise PluginError(
                        f"plugin {name!r}: {attr} is not marked with @netraven.hookimpl", plugin=name
                    )
        try:
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.get_name(exc.plugin) or repr(exc.plugin)
            raise PluginError(
                f"plugin {name!r}: {_one_line(exc)}; fix its name or set {DISABLE_ENV}={name}", plugin=name
            ) from exc


def create_plugin_manager(
    disabled: Iterable[str] | None = None,
    entry_points: bool | Iterable[EntryPoint] = True,
    plugins: Iterable[object] = (),
) -> NetRavenPluginManager:
    """A new plugin manager with every plugin of the ``netraven.plugins`` entry points loaded.

    ``disabled`` names plugins not to load (default: the comma-separated ``$NETRAVEN_DISABLE_PLUGINS``).
    ``entry_points``: True reads the installed entry points, False none, or the entry points to use.
    ``plugins`` are registered too, after the entry points (tests, embedding).
    """
    if disabled is None:
        disabled = os.environ.get(DISABLE_ENV, "").split(",")
    pm = NetRavenPluginManager()
    for name in disabled:
        if name.strip():
            pm.set_blocked(name.strip())
    if entry_points is True:
        eps: Iterable[EntryPoint] = _installed_entry_points()
    else:
        eps = entry_points or ()
    for ep in eps:
        pm.load_entry_point(ep)
    for plugin in plugins:
        pm.load_object(plugin)
    pm.check_hooks()
    return pm


def _installed_entry_points() -> list[EntryPoint]:
    # One distribution installed twice (an egg-link and a wheel) lists its entry points twice.
    unique = {(ep.name, ep.value): ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(unique.values(), key=lambda ep: ep.name)


def _with(info: PluginInfo, status: PluginStatus, reason: str) -> PluginInfo:
    return replace(info, status=status, reason=reason)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def describe_plugins(pm: NetRavenPluginManager) -> dict[str, Any]:
    """The plugins of ``pm`` (loaded, failed or blocked) and their job types with parameter
    schemas, as JSON-able data (``netraven plugins list --json`` and the API)."""
    return {
        "plugins": [
            {
                "name": i.name,
                "source": i.source,
                "distribution": i.distribution,
                "version": i.version,
                "status": i.status,
                "reason": i.reason,
            }
            for i in pm.infos
        ],
        "job_types": [
            {
                "name": e.cls.name,
                "plugin": e.plugin,
                "description": e.cls.description,
                "parameters": {name: p.describe() for name, p in e.cls.parameters.items()},
            }
            for e in pm.job_types.entries()
        ],
    }
