"""Every hook NetRaven calls, grouped by when it fires.

Plugins implement hooks as functions (or methods) named like the specs below and marked with
:data:`hookimpl`, which :mod:`netraven` re-exports::

    from netraven import hookimpl

    @hookimpl
    def netraven_run_finished(run, summary):
        ...

Implementations may accept fewer arguments than the spec, never other ones. A marked function
whose name matches no spec, or a ``netraven_*`` function left unmarked, makes loading fail with a
``PluginError`` naming its plugin. Callers fire the notification hooks (run lifecycle, configs)
with :func:`netraven.plugins.notify`, so a failing implementation is logged, not fatal. No hook
is ``historic``: a plugin registered late has nothing to catch up on. No hook is ``firstresult``:
every plugin's implementation is called, in pluggy's order (last registered first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from netraven.jobs.base import JobType, RunServices
    from netraven.jobs.events import DeviceInfo, HostOutcome, RunInfo, RunSummary

PROJECT = "netraven"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# -------------------------------------------------------------------------------------------------
# Registration: once per plugin manager, when the job-type registry is first built.
# -------------------------------------------------------------------------------------------------


@hookspec
def netraven_register_job_types() -> list[type[JobType]]:  # type: ignore[empty-body]  # a spec only
    """Return the job-type classes this plugin provides.

    Called once per plugin manager, when its job-type registry is first needed (a run, the
    ``netraven plugins list`` and ``netraven job`` commands), after every plugin is registered.

    :return: :class:`~netraven.jobs.JobType` subclasses, each with a ``name`` unique across all
        plugins. A duplicate name, or anything that is not a ``JobType`` subclass with a name,
        fails loading with a ``PluginError`` naming the plugin.
    """


# -------------------------------------------------------------------------------------------------
# Run lifecycle: in the worker that runs the job, in this order, once per run.
# -------------------------------------------------------------------------------------------------


@hookspec
def netraven_run_started(run: RunInfo) -> None:
    """A run is about to connect to its hosts.

    Called in the worker after the run is marked running and its parameters validated, before
    the first host's task starts.

    :param run: the run, its job type and validated parameters.
    :return: ignored.
    """


@hookspec
def netraven_host_completed(run: RunInfo, host: HostOutcome) -> None:
    """One host of a run is done: succeeded, failed or skipped.

    Called by the results processor once per host, as hosts complete (from the processor's
    thread: keep it quick), after the host's JobResult and its job type's result handler are
    stored.

    :param run: the run the host belongs to.
    :param host: the host's outcome, with texts redacted.
    :return: ignored.
    """


@hookspec
def netraven_run_finished(run: RunInfo, summary: RunSummary, services: RunServices) -> None:
    """A run is over, whatever its outcome.

    Called in the worker once every host is done (or the run was cancelled or failed as a whole),
    after the run's final status and counts are committed, in the thread that ran the run: hand
    slow work (network calls) to a thread of your own.

    :param run: the finished run.
    :param summary: its final status and host counts.
    :param services: the run's settings and a session factory on its database, to read its rows.
    :return: ignored.
    """


# -------------------------------------------------------------------------------------------------
# Configurations: from a job type's result handler, when a device's stored config changes.
# -------------------------------------------------------------------------------------------------


@hookspec
def netraven_config_changed(
    device: DeviceInfo, old: str | None, new: str, diff: str, run: RunInfo, version: int
) -> None:
    """A device's configuration differs from its last stored version, and the new version is stored.

    Called for the job type that stored it (the built-in backup, through ``HostContext.notify``), once
    per changed device, from the results processor once the new version is committed to the
    database, before the run's git commit. Not called when the normalised config is unchanged.

    :param device: the device.
    :param old: the previous stored config, or None for the device's first version.
    :param new: the new config, as stored (redacted when ``backup.redact_stored`` is set).
    :param diff: a unified diff from ``old`` to ``new``, redacted.
    :param run: the run that stored it.
    :param version: the new version's number (``netraven config show DEVICE VERSION``).
    :return: ignored.
    """
