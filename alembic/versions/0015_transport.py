"""Devices and tags can ask for a transport, ``ssh`` or ``telnet`` (#16).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("transport", sa.String(10), nullable=True))
    op.add_column("tags", sa.Column("transport", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.drop_column("transport")
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("transport")
