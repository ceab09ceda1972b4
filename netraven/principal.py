"""Who is acting: :class:`Role` and :class:`Principal`, shared by ``users`` (who may) and ``audit``
(who did).

A base module, so that the audit trail can name an actor without importing ``netraven.users``
(which records to it). ``netraven.users`` re-exports both names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

PrincipalKind = Literal["user", "token", "session", "cli", "system"]


class Role(enum.IntEnum):
    """What a user may do, ordered: each role may do everything the ones below it may.

    ``viewer`` reads everything but secrets; ``operator`` also runs jobs and manages devices, tags
    and jobs; ``admin`` also manages credentials, keys and users. ``str(role)`` is its lower-case name.
    """

    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: object) -> Role:
        """The role named ``value`` (``"operator"``, any case) or given as a Role; ValueError otherwise."""
        if isinstance(value, Role):
            return value
        if isinstance(value, str) and value.strip().upper() in cls.__members__:
            return cls[value.strip().upper()]
        raise ValueError(f"unknown role {value!r} (expected one of: {', '.join(map(str, cls))})")


@dataclass(frozen=True)
class Principal:
    """Who the current operation is for: a logged-in user, a personal token, a browser session,
    the CLI's OS user or NetRaven itself (``system``: the scheduler, the worker, Python callers)."""

    kind: PrincipalKind
    username: str
    role: Role
    user_id: int | None = None
    token_id: int | None = None
    address: str | None = None  # the client's address (web), None elsewhere

    def allows(self, role: Role) -> bool:
        """Whether this principal has ``role`` or a higher one."""
        return self.role >= role


SYSTEM = Principal(kind="system", username="system", role=Role.ADMIN)
