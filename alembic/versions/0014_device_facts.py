"""Devices carry the facts a backup reads: OS version, model, serial number, uptime, and when (#16).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netraven.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACTS = ("os_version", "model", "serial", "uptime")


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for name in FACTS:
            batch.add_column(sa.Column(name, sa.String(255), nullable=True))
        batch.add_column(sa.Column("facts_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        for name in (*FACTS, "facts_at"):
            batch.drop_column(name)
