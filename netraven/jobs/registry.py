"""The job types every plugin registered, by name; one registry per plugin manager."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netraven.exceptions import JobError, PluginError
from netraven.jobs.base import JobType

if TYPE_CHECKING:
    import pluggy


@dataclass(frozen=True)
class RegisteredJobType:
    """A job-type class and the plugin that registered it."""

    plugin: str
    cls: type[JobType]


class JobTypeRegistry:
    """Job types by name, from ``netraven_register_job_types``; refuses duplicates and invalid classes."""

    def __init__(self) -> None:
        self._by_name: dict[str, RegisteredJobType] = {}

    @classmethod
    def from_plugin_manager(cls, pm: pluggy.PluginManager) -> JobTypeRegistry:
        """Ask every plugin for its job types; a ``PluginError`` names the plugin at fault."""
        registry = cls()
        # Per implementation rather than pm.hook.netraven_register_job_types(): each class must be
        # traced to its plugin, to say who registered a duplicate or an invalid one.
        for impl in pm.hook.netraven_register_job_types.get_hookimpls():  # registration order
            try:
                classes = impl.function()
            except Exception as exc:
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: netraven_register_job_types failed: {exc}",
                    plugin=impl.plugin_name,
                ) from exc
            if not isinstance(classes, list | tuple):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: netraven_register_job_types returned "
                    f"{type(classes).__name__}, expected a list of JobType subclasses",
                    plugin=impl.plugin_name,
                )
            for job_cls in classes:
                registry.add(impl.plugin_name, job_cls)
        return registry

    def add(self, plugin: str, job_cls: object) -> None:
        """Register ``job_cls`` for ``plugin``; raise a ``PluginError`` if invalid or a duplicate."""
        if not (isinstance(job_cls, type) and issubclass(job_cls, JobType)):
            raise PluginError(f"plugin {plugin!r}: {job_cls!r} is not a JobType subclass", plugin=plugin)
        name = getattr(job_cls, "name", None)
        if not isinstance(name, str) or not name.strip():
            raise PluginError(
                f"plugin {plugin!r}: job type {job_cls.__qualname__} has no name", plugin=plugin
            )
        if getattr(job_cls, "__abstractmethods__", None):
            missing = ", ".join(sorted(job_cls.__abstractmethods__))
            raise PluginError(
                f"plugin {plugin!r}: job type {name!r} does not implement {missing}", plugin=plugin
            )
        if name in self._by_name:
            other = self._by_name[name].plugin
            raise PluginError(
                f"job type {name!r} registered twice: by plugin {other!r} and by plugin {plugin!r}",
                plugin=plugin,
            )
        self._by_name[name] = RegisteredJobType(plugin, job_cls)

    def job_type(self, name: str) -> type[JobType]:
        """The job-type class called ``name``; a ``JobError`` listing the known ones otherwise."""
        try:
            return self._by_name[name].cls
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "none"
            raise JobError(f"unknown job type {name!r} (known: {known})") from None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def entries(self) -> list[RegisteredJobType]:
        """Every job type with its plugin, by name."""
        return [self._by_name[name] for name in self.names()]

    def by_plugin(self) -> dict[str, list[type[JobType]]]:
        """Plugin name → the job types it registered."""
        result: dict[str, list[type[JobType]]] = {}
        for entry in self.entries():
            result.setdefault(entry.plugin, []).append(entry.cls)
        return result

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self._by_name)
