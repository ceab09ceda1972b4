"""A large run on a shared queue splits into shards that any worker takes (#18).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netraven.db.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = netraven.db.base.UTCDateTime(timezone=True)
    op.create_table(
        "run_shards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("device_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("started_at", when, nullable=True),
        sa.Column("heartbeat_at", when, nullable=True),
        sa.Column("completed_at", when, nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["job_runs.id"], name=op.f("fk_run_shards_run_id_job_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_shards")),
    )
    op.create_index("ix_run_shards_run_id_status", "run_shards", ["run_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_run_shards_run_id_status", table_name="run_shards")
    op.drop_table("run_shards")
