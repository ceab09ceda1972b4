"""Runs count how many times they were re-queued after their worker was lost.

A run re-queued by ``scheduler.on_dead_run: requeue`` carries the count of the run it replaces plus
one; past ``scheduler.max_requeues`` a dead run is only failed, never queued again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("job_runs", sa.Column("requeues", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("requeues")
