"""Actions on news items (``bdom_news_*``) and featured datasets
(``bdom_featured_*``).

Writes are for the promotion specialist and sysadmins (see ``auth.py``);
reads show the public only what is current: published news whose publish
date has come and which have not expired, and featured datasets in their
window whose dataset is public. ``all=true`` lists everything (managers only).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader
from ckan.types import Context, DataDict

from ckanext.bdom.promo import dictize, schema
from ckanext.bdom.promo.model import Featured, News, in_window, utcnow

UPLOAD_TO = "bdom_news"
LIST_LIMIT_MAX = 100
BAD_LIMIT = "limit i offset to liczby całkowite od 0. / limit and offset are whole numbers from 0."


def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


def _get(cls: type[News] | type[Featured], data_dict: DataDict) -> Any:
    row = model.Session.get(cls, str(tk.get_or_bust(data_dict, "id")))
    if row is None:
        kind = tk._("News item") if cls is News else tk._("Featured dataset")
        raise tk.ObjectNotFound(tk._("{kind} not found").format(kind=kind))
    return row


def _author_id(context: Context) -> str | None:
    user = model.User.get(context.get("user") or "")
    return user.id if user else None


def _limits(data_dict: DataDict) -> tuple[int, int]:
    try:
        limit = int(data_dict.get("limit", 10))
        offset = int(data_dict.get("offset", 0))
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [BAD_LIMIT]}) from None
    return max(0, min(limit, LIST_LIMIT_MAX)), max(0, offset)


# --- news ------------------------------------------------------------------------


def _validated_news(
    context: Context, data_dict: DataDict, old: News | None
) -> tuple[dict[str, Any], Any]:
    """Validated data and the uploader holding the new image (if any)."""
    data_dict = dict(data_dict)
    old_image = old.image_url if old else ""
    asked = data_dict.get("image_url") or ""
    if old_image and asked and asked != old_image:  # another image replaces the stored one
        data_dict["clear_upload"] = True
    upload = uploader.get_uploader(UPLOAD_TO, old_image or None)
    try:
        upload.update_data_dict(data_dict, "image_url", "image_upload", "clear_upload")
    except tk.ValidationError:
        raise tk.ValidationError({"image_upload": [schema.BAD_IMAGE_FILE]}) from None
    data, errors = schema.validate(data_dict, schema.news_schema(), context)
    stored = {name for name in (getattr(upload, "filename", None), old and old.image_url) if name}
    schema.check_image(data, errors, stored)
    if errors:
        raise tk.ValidationError(errors)
    return data, upload


def _save_news(context: Context, row: News, data: dict[str, Any], upload: Any) -> dict:
    for field in ("title", "lead", "body", "image_url", "image_alt", "state"):
        setattr(row, field, data[field])
    row.publish_at = data["publish_at"]
    row.expire_at = data.get("expire_at")
    row.modified = utcnow()
    model.Session.add(row)
    model.Session.flush()
    try:
        upload.upload(uploader.get_max_image_size())
    except tk.ValidationError:
        model.Session.rollback()
        raise tk.ValidationError(
            {"image_upload": [schema.IMAGE_TOO_LARGE.format(mb=uploader.get_max_image_size())]}
        ) from None
    _commit(context)
    return dictize.news(row)


def bdom_news_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a news item (promotion specialist or sysadmin).

    :param title: the headline (up to 200 characters)
    :param lead: one or two sentences shown in lists (up to 500)
    :param body: the text, in Markdown (optional)
    :param image_upload: an image file (PNG, JPEG, GIF, WebP), or
    :param image_url: the address of an image; either needs ``image_alt``
    :param image_alt: what the image shows, for screen readers
    :param publish_at: when the item appears: ``YYYY-MM-DD[ HH:MM]`` in the
        portal's display timezone, or ISO 8601 with an offset
    :param expire_at: when it disappears (optional, after ``publish_at``)
    :param state: ``draft`` (default, never public) or ``published``
    :returns: the news item

    ``ckanapi action bdom_news_create title=… lead=… publish_at=2026-05-04 state=published``
    """
    tk.check_access("bdom_news_create", context, data_dict)
    data, upload = _validated_news(context, data_dict, None)
    return _save_news(context, News(author_id=_author_id(context)), data, upload)


def bdom_news_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace a news item's fields (the same parameters as create, and ``id``).

    A stored uploaded image is kept unless a new one is uploaded, another
    ``image_url`` is given or ``clear_upload`` is set.
    """
    row = _get(News, data_dict)
    tk.check_access("bdom_news_update", context, {**data_dict, "id": row.id})
    data, upload = _validated_news(context, data_dict, row)
    return _save_news(context, row, data, upload)


def bdom_news_delete(context: Context, data_dict: DataDict) -> None:
    """Delete a news item for good (its uploaded image too).

    :param id: the news item's id
    """
    row = _get(News, data_dict)
    tk.check_access("bdom_news_delete", context, {"id": row.id})
    upload = uploader.get_uploader(UPLOAD_TO, row.image_url or None)
    upload.update_data_dict({"clear_upload": True}, "image_url", "image_upload", "clear_upload")
    model.Session.delete(row)
    _commit(context)
    upload.upload()  # removes the stored file


@tk.side_effect_free
def bdom_news_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One news item; drafts and items outside their dates only for managers.

    :param id: the news item's id
    """
    row = _get(News, data_dict)
    tk.check_access("bdom_news_show", context, {"id": row.id})
    return dictize.news(row)


@tk.side_effect_free
def bdom_news_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Current news items, newest first: ``{"count": n, "results": [...]}``.

    :param limit: how many (default 10, at most 100)
    :param offset: how many to skip
    :param all: ``true`` for every item, drafts and expired ones included
        (managers only)
    """
    tk.check_access("bdom_news_list", context, data_dict)
    limit, offset = _limits(data_dict)
    query = model.Session.query(News)
    if not tk.asbool(data_dict.get("all", False)):
        query = query.filter(News.state == "published", in_window(News, utcnow()))
    count = query.count()
    rows = query.order_by(News.publish_at.desc(), News.created.desc()).limit(limit).offset(offset)
    return {"count": count, "results": [dictize.news(row) for row in rows]}


# --- featured datasets -----------------------------------------------------------


def _validated_featured(context: Context, data_dict: DataDict, row_id: str | None) -> dict:
    data, errors = schema.validate(dict(data_dict), schema.featured_schema(), context)
    if "package_id" not in errors:
        other = model.Session.query(Featured).filter(Featured.package_id == data["package_id"])
        if other.filter(Featured.id != row_id).count() if row_id else other.count():
            name = model.Package.get(data["package_id"]).name
            errors["package_id"] = [schema.ALREADY_FEATURED.format(value=name)]
    if errors:
        raise tk.ValidationError(errors)
    return data


def _save_featured(context: Context, row: Featured, data: dict[str, Any]) -> dict:
    row.package_id = data["package_id"]
    row.blurb = data["blurb"]
    row.position = data["position"]
    row.publish_at = data["publish_at"]
    row.expire_at = data.get("expire_at")
    row.modified = utcnow()
    model.Session.add(row)
    _commit(context)
    return dictize.featured(row, model.Package.get(row.package_id))


def bdom_featured_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Feature a public dataset on the home page.

    :param package_id: the dataset's name or id (it must be published)
    :param blurb: a short note on why it is worth a look (optional, 300)
    :param position: the order, 0 first (default 0)
    :param publish_at: from when (``YYYY-MM-DD[ HH:MM]``)
    :param expire_at: until when (optional)
    :returns: the featured entry with a summary of its dataset
    """
    tk.check_access("bdom_featured_create", context, data_dict)
    data = _validated_featured(context, data_dict, None)
    return _save_featured(context, Featured(author_id=_author_id(context)), data)


def bdom_featured_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace a featured entry's fields (the parameters of create, and ``id``)."""
    row = _get(Featured, data_dict)
    tk.check_access("bdom_featured_update", context, {**data_dict, "id": row.id})
    return _save_featured(context, row, _validated_featured(context, data_dict, row.id))


def bdom_featured_delete(context: Context, data_dict: DataDict) -> None:
    """Stop featuring a dataset (the dataset itself is untouched).

    :param id: the featured entry's id
    """
    row = _get(Featured, data_dict)
    tk.check_access("bdom_featured_delete", context, {"id": row.id})
    model.Session.delete(row)
    _commit(context)


@tk.side_effect_free
def bdom_featured_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One featured entry; outside its dates or with a private dataset only
    for managers.

    :param id: the featured entry's id
    """
    row = _get(Featured, data_dict)
    tk.check_access("bdom_featured_show", context, {"id": row.id})
    return dictize.featured(row, model.Package.get(row.package_id))


@tk.side_effect_free
def bdom_featured_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Featured datasets shown now, in their order (a dataset that is no longer
    public drops off silently).

    :param limit: how many (default 10, at most 100)
    :param all: ``true`` for every entry (managers only)
    """
    tk.check_access("bdom_featured_list", context, data_dict)
    limit, offset = _limits(data_dict)
    query = model.Session.query(Featured, model.Package).join(
        model.Package, model.Package.id == Featured.package_id
    )
    if not tk.asbool(data_dict.get("all", False)):
        query = query.filter(
            in_window(Featured, utcnow()),
            model.Package.state == "active",
            model.Package.private.is_(False),
        )
    query = query.order_by(Featured.position, Featured.publish_at.desc(), model.Package.title)
    return [dictize.featured(row, pkg) for row, pkg in query.limit(limit).offset(offset)]


def get_actions() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith(("bdom_news_", "bdom_featured_")) and callable(func)
    }
