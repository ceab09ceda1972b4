"""Runs record their targets: device names, tag names, or the whole fleet.

A run of a stored job copies the job's targets when it is created; an ad-hoc run (``netraven run``)
has no job to read them from. Either way the run says what it was asked to reach.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("job_runs", sa.Column("targets", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("targets")
