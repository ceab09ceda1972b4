"""The audit trail: who changed what, when, from where, and how it ended.

Every state-changing domain function calls :func:`record` in its own transaction, so the CLI and
the web API write the same rows without either writing them. The face says who is acting, once
per command or request, with :func:`acting_as`; a failed operation is recorded by the face at its
error boundary with :func:`record_failure` (in a transaction of its own, as the operation's is
rolled back)::

    with audit.acting_as(Principal(kind="cli", username="alice", role=Role.ADMIN)):
        add_device(session, ...)            # records device.add by cli:alice

Action names are ``<object>.<verb>``: ``device.add``, ``job.enable``, ``run.start``, ``auth.login``.
Who is acting (:mod:`.context`) imports nothing heavy, so the CLI sets it at start-up; the rest
loads SQLAlchemy on first use.
"""

from typing import TYPE_CHECKING, Any

from netraven.audit.context import acting_as, acting_user, current_actor

if TYPE_CHECKING:
    from netraven.audit.trail import (
        OUTCOMES,
        changed,
        entry_to_dict,
        list_entries,
        mask,
        record,
        record_failure,
    )

__all__ = [
    "OUTCOMES",
    "acting_as",
    "acting_user",
    "changed",
    "current_actor",
    "entry_to_dict",
    "list_entries",
    "mask",
    "record",
    "record_failure",
]

_LAZY = ("OUTCOMES", "changed", "entry_to_dict", "list_entries", "mask", "record", "record_failure")


def __getattr__(name: str) -> Any:
    """Import the database part (SQLAlchemy) only when first used."""
    if name in _LAZY:
        from netraven.audit import trail

        return getattr(trail, name)
    raise AttributeError(f"module 'netraven.audit' has no attribute {name!r}")
