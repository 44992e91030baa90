"""Create the reminder log

Revision ID: 3b1f0c2a9d47
Revises:
Create Date: 2026-11-26 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "3b1f0c2a9d47"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bdom_reminder",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("recipient", sa.UnicodeText, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "package_id", "recipient", "day", name="bdom_reminder_key"),
    )


def downgrade() -> None:
    op.drop_table("bdom_reminder")
