"""Demo news items and featured datasets for ``ckan bdom demo load``.

Idempotent: a news item is known by its title, a featured dataset by its
dataset; what exists is left alone.
"""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

KINDS = ("news", "featured")


def _at(days_ago: float) -> str:
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days_ago)
    return moment.isoformat(timespec="minutes")


def _create_news(context: dict[str, Any], data: dict[str, Any]) -> bool:
    every = tk.get_action("bdom_news_list")(dict(context), {"all": True, "limit": 100})
    if any(item["title"] == data["title"] for item in every["results"]):
        return False
    fields = {k: v for k, v in data.items() if k not in ("publish_days_ago", "expire_in_days")}
    fields["publish_at"] = _at(data.get("publish_days_ago", 0))
    if "expire_in_days" in data:
        fields["expire_at"] = _at(-data["expire_in_days"])
    tk.get_action("bdom_news_create")(dict(context), fields)
    return True


def _create_featured(context: dict[str, Any], data: dict[str, Any]) -> bool:
    try:
        dataset = tk.get_action("package_show")(dict(context), {"id": data["dataset"]})
    except tk.ObjectNotFound:
        return False
    every = tk.get_action("bdom_featured_list")(dict(context), {"all": True, "limit": 100})
    if dataset["private"] or any(f["package_id"] == dataset["id"] for f in every):
        return False
    fields = {k: v for k, v in data.items() if k != "dataset"}
    tk.get_action("bdom_featured_create")(
        dict(context), {**fields, "package_id": dataset["id"], "publish_at": _at(1)}
    )
    return True


def apply(kind: str, data: dict[str, Any], context: dict[str, Any]) -> bool:
    """Create the demo item unless it exists (or bdom_promo is off). True when created."""
    if not p.plugin_loaded("bdom_promo"):
        return False
    create = _create_news if kind == "news" else _create_featured
    return create(context, data)
