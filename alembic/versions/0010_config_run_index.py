"""Config versions are indexed by run: deleting a run (retention) finds the versions it stored
without scanning every version (#17).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_device_configurations_run_id", "device_configurations", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_device_configurations_run_id", table_name="device_configurations")
