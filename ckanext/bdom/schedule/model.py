"""The log of sent reminders (table created by the alembic migration in
``ckanext/bdom/migration/bdom_schedule``).

One row per reminder item sent: the kind (``due_soon``, ``overdue`` or
``digest``), the dataset (empty for a digest), the recipient's user name and
the day. The unique key makes ``ckan bdom remind`` idempotent: an item already
logged for that day is not sent again.
"""

from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

import ckan.plugins.toolkit as tk

DIGEST = "digest"


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _new_id() -> str:
    return str(uuid.uuid4())


class Reminder(tk.BaseModel):  # type: ignore[misc]
    """A reminder item e-mailed to one user on one day."""

    __tablename__ = "bdom_reminder"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_new_id)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    recipient: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    day: Mapped[datetime.date] = mapped_column(sa.Date, nullable=False)
    due: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    sent_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("kind", "package_id", "recipient", "day", name="bdom_reminder_key"),
    )
