"""Fire a notification hook so that one failing plugin neither stops the others nor the run.

``pm.hook.netraven_run_finished(...)`` stops at the first implementation that raises and raises
to the caller: right for hooks whose result the caller needs, wrong for the lifecycle hooks, where
a broken notifier must not fail a backup. :func:`notify` calls each implementation on its own,
logs a failure with the plugin's name, and returns the failures for the caller to record.
:func:`check_notification` checks a hook name and arguments that come from a plugin (a job type's
``HostContext.notify``) before anything is committed, so a misspelt name fails that host alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pluggy

from netraven.exceptions import PluginError, one_line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HookFailure:
    """One implementation of a hook raised: which plugin, which hook, one line of why."""

    plugin: str
    hook: str
    error: str


def notify(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list[HookFailure]:
    """Call every implementation of ``hook_name`` with ``kwargs``, in pluggy's order; never raises.

    Hook wrappers are not called: notification hooks have nothing to wrap.
    """
    caller = getattr(pm.hook, hook_name)
    failures: list[HookFailure] = []
    for impl in reversed(caller.get_hookimpls()):  # pluggy calls the last registered first
        if impl.hookwrapper or impl.wrapper:
            continue
        try:
            impl.function(*(kwargs[name] for name in impl.argnames))
        except Exception as exc:
            error = one_line(exc)
            log.warning("plugin %r failed in %s: %s", impl.plugin_name, hook_name, error, exc_info=exc)
            failures.append(HookFailure(impl.plugin_name, hook_name, error))
    return failures


def check_notification(pm: pluggy.PluginManager, hook_name: str, kwargs: dict[str, Any]) -> None:
    """Raise a one-line :class:`PluginError` unless ``hook_name`` is a hook of ``pm`` and ``kwargs``
    give every argument of its spec."""
    caller = getattr(pm.hook, hook_name, None)
    if caller is None or caller.spec is None:
        known = ", ".join(sorted(name for name, hook in vars(pm.hook).items() if getattr(hook, "spec", None)))
        raise PluginError(f"no hook is named {hook_name!r} (known: {known})")
    missing = [name for name in caller.spec.argnames if name not in kwargs]
    if missing:
        raise PluginError(f"{hook_name} was fired without {', '.join(missing)}")
