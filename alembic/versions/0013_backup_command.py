"""A device or a tag may carry its own backup command, over its platform's (#16).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("backup_command", sa.String(255), nullable=True))
    op.add_column("tags", sa.Column("backup_command", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.drop_column("backup_command")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("backup_command")
