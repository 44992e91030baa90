"""Demo news items and featured datasets for ``ckan bdom demo load``.

Idempotent: a news item is known by its title, a featured dataset by its
dataset; what exists is left alone.
"""

from __future__ import annotations

import datetime
import io
import mimetypes
from pathlib import Path
from typing import Any

from werkzeug.datastructures import FileStorage

import ckan.plugins as p
import ckan.plugins.toolkit as tk

KINDS = ("news", "featured")


def _at(days_ago: float) -> str:
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days_ago)
    return moment.isoformat(timespec="minutes")


def _create_news(context: dict[str, Any], data: dict[str, Any], base_dir: Path) -> bool:
    every = tk.get_action("bdom_news_list")(dict(context), {"all": True, "limit": 100})
    if any(item["title"] == data["title"] for item in every["results"]):
        return False
    loader_keys = ("publish_days_ago", "expire_in_days", "image")
    fields = {k: v for k, v in data.items() if k not in loader_keys}
    if data.get("image"):  # a file beside the demo YAML, uploaded like a form does
        content = io.BytesIO((base_dir / data["image"]).read_bytes())
        kind = mimetypes.guess_type(data["image"])[0]
        fields["image_upload"] = FileStorage(content, data["image"], content_type=kind)
    fields["publish_at"] = _at(data.get("publish_days_ago", 0))
    if "expire_in_days" in data:
        fields["expire_at"] = _at(-data["expire_in_days"])
    tk.get_action("bdom_news_create")(dict(context), fields)
    return True


def _create_featured(context: dict[str, Any], data: dict[str, Any], _base: Path) -> bool:
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


def apply(kind: str, data: dict[str, Any], context: dict[str, Any], base_dir: Path) -> bool:
    """Create the demo item unless it exists (or bdom_promo is off). True when created."""
    if not p.plugin_loaded("bdom_promo"):
        return False
    create = _create_news if kind == "news" else _create_featured
    return create(context, data, base_dir)
