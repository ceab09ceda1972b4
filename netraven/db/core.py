"""The ORM-free part of the schema: metadata, column types, and the tables read without the ORM.

Importing this module costs SQLAlchemy Core only: no ORM, no mapped classes. Read-only commands
that only list rows (``netraven device list``) query these tables directly and start faster for
it; the ORM models in :mod:`netraven.db.models` map the same ``Table`` objects (``__table__``),
so there is one definition of each table.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MAX_INTEGER = 2**31 - 1  # the largest value of an Integer column (PostgreSQL's integer)

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; NetRaven stores aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def link_table(left: str, right: str) -> Table:
    """The many-to-many table ``<left>_<right>s`` between tables ``<left>s`` and ``<right>s``.

    Both keys cascade on delete; the right-hand key gets its own index for reverse lookups.
    """
    name = f"{left}_{right}s"
    return Table(
        name,
        metadata,
        Column(f"{left}_id", ForeignKey(f"{left}s.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}s.id", ondelete="CASCADE"), primary_key=True),
        Index(f"ix_{name}_{right}_id", f"{right}_id"),
    )


tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("type", String(50), nullable=False, default="custom"),
    Column("description", Text),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("backup_command", String(255)),  # its devices' backup command, over their platform's
    Column("transport", String(10)),  # "ssh" or "telnet" for its devices; NULL: no say
)

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hostname", String(255), nullable=False, unique=True),
    Column("host", String(255), nullable=False),
    Column("port", Integer, nullable=False, default=22),
    Column("platform", String(64), nullable=False, index=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("description", Text),
    Column("data", JSON, nullable=False, default=dict),
    Column("last_seen", UTCDateTime),
    Column("last_backup_at", UTCDateTime),
    Column("last_backup_status", String(20)),
    Column("last_credential_id", ForeignKey("credentials.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    # the last reachability check (netraven_jobs.reachability): reachable | unreachable | NULL (never)
    Column("reachability", String(20)),
    Column("reachability_at", UTCDateTime),
    Column("latency_ms", Float),  # the TCP connect's, when reachable
    Column("unreachable_since", UTCDateTime),  # the first failed check of the current outage
    # the circuit breaker (netraven.inventory.circuit): closed | open | half_open
    Column("circuit", String(10), nullable=False, default="closed", server_default="closed"),
    Column("circuit_failures", Integer, nullable=False, default=0, server_default="0"),
    Column("circuit_retry_at", UTCDateTime),  # open: skipped until then; half_open: its trial's deadline
    Column("backup_command", String(255)),  # over its tags' and its platform's
    # Facts a backup read from the device (netraven.inventory.facts), and when.
    Column("os_version", String(255)),
    Column("model", String(255)),
    Column("serial", String(255)),
    Column("uptime", String(255)),
    Column("facts_at", UTCDateTime),
    Column("transport", String(10)),  # "ssh" or "telnet"; NULL: its tags', else ssh
)

device_tags = link_table("device", "tag")
