"""Create news and featured dataset tables

Revision ID: f095d909a0bb
Revises:
Create Date: 2026-11-26 17:45:56.587148
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f095d909a0bb"
down_revision = None
branch_labels = None
depends_on = None


def _window_and_stamps() -> list[sa.Column]:
    return [
        sa.Column("publish_at", sa.DateTime, nullable=False),
        sa.Column("expire_at", sa.DateTime, nullable=True),
        sa.Column("author_id", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "bdom_promo_news",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("lead", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("image_url", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("image_alt", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="draft"),
        *_window_and_stamps(),
    )
    op.create_index("bdom_promo_news_publish_idx", "bdom_promo_news", ["state", "publish_at"])
    op.create_table(
        "bdom_promo_featured",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "package_id",
            sa.UnicodeText,
            sa.ForeignKey("package.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("blurb", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        *_window_and_stamps(),
        sa.UniqueConstraint("package_id", name="bdom_promo_featured_package_key"),
    )


def downgrade() -> None:
    op.drop_table("bdom_promo_featured")
    op.drop_index("bdom_promo_news_publish_idx", table_name="bdom_promo_news")
    op.drop_table("bdom_promo_news")
