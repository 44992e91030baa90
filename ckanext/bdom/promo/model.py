"""Tables of the promotional content (created by the alembic migration in
``ckanext/bdom/migration/bdom_promo``).

Dates are naive UTC, as everywhere in CKAN.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk

DRAFT = "draft"
PUBLISHED = "published"
STATES = (DRAFT, PUBLISHED)


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _new_id() -> str:
    return str(uuid.uuid4())


class News(tk.BaseModel):  # type: ignore[misc]
    """A news item (aktualność): Markdown body, optional image, publish window."""

    __tablename__ = "bdom_promo_news"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_new_id)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    lead: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    # an uploaded file's name (served from /uploads/bdom_news/) or a URL
    image_url: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    image_alt: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    publish_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False)
    expire_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default=DRAFT)
    author_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    modified: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (sa.Index("bdom_promo_news_publish_idx", "state", "publish_at"),)


class Featured(tk.BaseModel):  # type: ignore[misc]
    """A dataset featured on the home page, with an optional blurb."""

    __tablename__ = "bdom_promo_featured"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_new_id)
    package_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False
    )
    blurb: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    publish_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False)
    expire_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    author_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    created: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    modified: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("package_id", name="bdom_promo_featured_package_key"),)


def in_window(model: type[News] | type[Featured], now: datetime.datetime) -> Any:
    """SQL condition: the row's publish date has come and it has not expired."""
    return sa.and_(
        model.publish_at <= now, sa.or_(model.expire_at.is_(None), model.expire_at > now)
    )


def shown_now(row: News | Featured, now: datetime.datetime) -> bool:
    """The same condition in Python."""
    return row.publish_at <= now and (row.expire_at is None or row.expire_at > now)
