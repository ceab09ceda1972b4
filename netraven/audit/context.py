"""Who the current operation is for: a context variable set by the face (CLI command, web request)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from netraven.principal import SYSTEM, Principal

_actor: ContextVar[Principal] = ContextVar("netraven_actor", default=SYSTEM)


@contextmanager
def acting_as(principal: Principal) -> Iterator[None]:
    """Make ``principal`` the actor of everything recorded inside the block (this thread or task)."""
    token = _actor.set(principal)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Principal:
    """The principal set by the innermost :func:`acting_as`; NetRaven itself (``system``) outside one."""
    return _actor.get()


def acting_user() -> str | None:
    """The current actor's name to record as ``created_by``/``triggered_by``; None outside any
    :func:`acting_as` (NetRaven itself)."""
    actor = _actor.get()
    return None if actor == SYSTEM else actor.username
