"""Devices record their last reachability check and their circuit breaker (#17).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netraven.db.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = netraven.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("reachability", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("reachability_at", WHEN, nullable=True))
        batch.add_column(sa.Column("latency_ms", sa.Float(), nullable=True))
        batch.add_column(sa.Column("unreachable_since", WHEN, nullable=True))
        batch.add_column(sa.Column("circuit", sa.String(length=10), nullable=False, server_default="closed"))
        batch.add_column(sa.Column("circuit_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("circuit_retry_at", WHEN, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for name in (
            "circuit_retry_at", "circuit_failures", "circuit", "unreachable_since", "latency_ms",
            "reachability_at", "reachability",
        ):  # fmt: skip
            batch.drop_column(name)
