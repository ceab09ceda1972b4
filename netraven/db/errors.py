"""SQLAlchemy's errors become :class:`~netraven.exceptions.DatabaseError` where they are raised.

Every engine NetRaven makes (:func:`~netraven.db.session.create_engine_for_url`) carries the
``handle_error`` hook below, so a database that cannot be reached, is lost mid-use or refuses a
statement raises one :class:`DatabaseError` naming the database and the cause, however deep the
call, whichever session or connection met it::

    cannot reach the database postgresql://nobody@127.0.0.1:1/x: connection refused

``IntegrityError`` is left alone: the domain packages catch it to say which name is taken.
Connection-pool pre-pings are left alone too, so that the pool can replace a dead connection.
"""

from __future__ import annotations

import re

from sqlalchemy import URL, Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, IntegrityError

from netraven.exceptions import DatabaseError

_SEVERITY = re.compile(r"^(FATAL|ERROR|PANIC):\s*")


def describe_url(url: URL) -> str:
    """``url`` for a message: the password and query (which may hold secrets) hidden."""
    return url.set(query={}).render_as_string(hide_password=True)


def wrap_errors(engine: Engine) -> None:
    """Make ``engine`` raise :class:`DatabaseError` for SQLAlchemy's database errors."""
    event.listen(engine, "handle_error", _wrap)


def _wrap(context: ExceptionContext) -> None:
    error = context.sqlalchemy_exception
    if context.is_pre_ping or not isinstance(error, DBAPIError) or isinstance(error, IntegrityError):
        return
    url = describe_url(context.engine.url) if context.engine is not None else "(unknown)"
    reason = cause(context.original_exception)
    if context.connection is None:
        message = f"cannot reach the database {url}: {reason}"
    elif context.is_disconnect:
        message = f"lost the connection to the database {url}: {reason}"
    else:
        message = f"the database {url} refused a statement: {reason}"
    raise DatabaseError(message, url=url, reason=reason) from error


def cause(exc: BaseException) -> str:
    """The driver's reason in a few words: ``connection refused``, ``database "x" does not exist``."""
    first = " ".join((str(exc).strip().splitlines() or [""])[0].split())
    text = _SEVERITY.sub("", first.rsplit(" failed: ", 1)[-1])  # libpq: 'connection to ... failed: why'
    if not text:
        return type(exc).__name__
    return text[0].lower() + text[1:] if text[1:2].islower() else text
