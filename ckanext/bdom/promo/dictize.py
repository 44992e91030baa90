"""Rows as the dicts the actions return (dates as ISO 8601 UTC strings)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.bdom.promo.model import PUBLISHED, Featured, News, shown_now, utcnow

UPLOAD_FOLDER = "uploads/bdom_news"

# where an item stands, for the management page
DRAFT = "draft"
SCHEDULED = "scheduled"
CURRENT = "current"
EXPIRED = "expired"
HIDDEN = "hidden"  # a featured dataset that is not public (any more)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _window_status(row: News | Featured, now: datetime.datetime) -> str:
    if row.publish_at > now:
        return SCHEDULED
    return CURRENT if shown_now(row, now) else EXPIRED


def image_display_url(image_url: str) -> str:
    if not image_url or "://" in image_url:
        return image_url
    return tk.h.url_for_static(f"{UPLOAD_FOLDER}/{image_url}", qualified=True)


def news(row: News) -> dict[str, Any]:
    now = utcnow()
    status = _window_status(row, now) if row.state == PUBLISHED else DRAFT
    author = model.User.get(row.author_id) if row.author_id else None
    return {
        "id": row.id,
        "title": row.title,
        "lead": row.lead,
        "body": row.body,
        "image_url": row.image_url,
        "image_display_url": image_display_url(row.image_url),
        "image_alt": row.image_alt,
        "publish_at": _iso(row.publish_at),
        "expire_at": _iso(row.expire_at),
        "state": row.state,
        "status": status,
        "public": status == CURRENT,
        "author": author.name if author else None,
        "created": _iso(row.created),
        "modified": _iso(row.modified),
    }


def featured(row: Featured, pkg: model.Package | None) -> dict[str, Any]:
    status = _window_status(row, utcnow())
    dataset_public = pkg is not None and pkg.state == "active" and not pkg.private
    if status == CURRENT and not dataset_public:
        status = HIDDEN
    organization = model.Group.get(pkg.owner_org) if pkg is not None and pkg.owner_org else None
    return {
        "id": row.id,
        "package_id": row.package_id,
        "blurb": row.blurb,
        "position": row.position,
        "publish_at": _iso(row.publish_at),
        "expire_at": _iso(row.expire_at),
        "status": status,
        "public": status == CURRENT,
        "created": _iso(row.created),
        "modified": _iso(row.modified),
        "dataset": {
            "id": pkg.id if pkg else row.package_id,
            "name": pkg.name if pkg else "",
            "title": (pkg.title or pkg.name) if pkg else "",
            "notes": pkg.notes or "" if pkg else "",
            "private": bool(pkg.private) if pkg else True,
            "organization": organization.title if organization else "",
        },
    }
