"""Config versions record whether they reached the git history yet (#13).

``git_pending`` is true for a version not yet committed to ``configs.git``; every backup run and
``netraven config sync-git`` commit the pending ones, so git catches up after a failed write. The
latest version of every device starts pending: its next commit writes it under the per-device file
name ``<slug>@<id>.cfg`` and removes the old ``<hostname>.cfg``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "device_configurations",
        sa.Column("git_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_device_configurations_git_pending", "device_configurations", ["git_pending"])
    op.execute(
        "UPDATE device_configurations SET git_pending = TRUE WHERE id IN ("
        " SELECT c.id FROM device_configurations c WHERE c.version = ("
        "  SELECT MAX(l.version) FROM device_configurations l WHERE l.device_id = c.device_id))"
    )


def downgrade() -> None:
    op.drop_index("ix_device_configurations_git_pending", table_name="device_configurations")
    with op.batch_alter_table("device_configurations") as batch:
        batch.drop_column("git_pending")
