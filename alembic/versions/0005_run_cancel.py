"""A run can be asked to stop: who asked and when (#14).

``cancel_requested_at`` and ``cancel_requested_by`` are set by ``cancel_run`` on a running run; the
worker running it sees them within seconds and ends the run ``cancelled`` (hosts under way finish,
the others are skipped). A queued run is cancelled at once and keeps them too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netraven.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "job_runs",
        sa.Column("cancel_requested_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("job_runs", sa.Column("cancel_requested_by", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("cancel_requested_by")
        batch.drop_column("cancel_requested_at")
