"""The workers that have run against this database: who they are and when they were last seen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from netraven.db.base import Base


class Worker(Base):
    """One ``netraven worker`` process, registered at start, renewed by its heartbeat.

    ``name`` is the name its runs carry (``host:pid``); ``stopped_at`` is set by a worker that
    stops cleanly, so a worker without it whose heartbeat is older than the lease was lost.
    """

    __tablename__ = "workers"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    version: Mapped[str] = mapped_column(String(64))
    threads: Mapped[int]
    queue: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
