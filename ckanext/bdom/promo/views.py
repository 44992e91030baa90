"""Pages: the public news (``/aktualnosci``) and the promotion specialist's
management pages (``/bdom/promocja``), plain HTML forms that work without
JavaScript. A form that fails keeps what the user typed and ties every error
to its field."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.bdom.promo import config

promo = Blueprint("bdom_promo", __name__)

DATASET_CHOICES = 1000


@dataclass(frozen=True)
class Kind:
    """What the generic form, delete and management views need of a kind."""

    name: str  # "news" or "featured": action prefix bdom_<name>_
    fields: tuple[str, ...]
    template: str


NEWS = Kind(
    "news",
    ("title", "lead", "body", "image_url", "image_alt", "publish_at", "expire_at", "state"),
    "bdom/promo/news_form.html",
)
FEATURED = Kind(
    "featured",
    ("package_id", "blurb", "position", "publish_at", "expire_at"),
    "bdom/promo/featured_form.html",
)
KINDS = {"aktualnosci": NEWS, "wyroznione": FEATURED}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _require_manager() -> None:
    try:
        tk.check_access("bdom_promo_manage", _context())
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the promotion specialist manages promotional content."))


def form_datetime(value: str | None) -> str:
    """A stored ISO UTC time as a ``datetime-local`` value in the display timezone."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(tk.h.get_display_timezone()).strftime("%Y-%m-%dT%H:%M")


def _form_values(kind: Kind, stored: dict[str, Any] | None) -> dict[str, Any]:
    """The form's starting values: the stored item, or defaults for a new one."""
    if stored is None:
        now = form_datetime(datetime.datetime.now(datetime.timezone.utc).isoformat()[:19])
        return {"publish_at": now, "state": "draft", "position": "0"}
    values = {field: stored.get(field) for field in kind.fields}
    values.update(
        publish_at=form_datetime(stored["publish_at"]),
        expire_at=form_datetime(stored.get("expire_at")),
    )
    if kind is NEWS and "://" not in (stored.get("image_url") or ""):
        values["image_url"] = ""  # an uploaded file is shown apart and kept unless replaced
    return values


def _posted(kind: Kind) -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {field: form.get(field, "") for field in kind.fields}
    if not data.get("expire_at"):
        data.pop("expire_at", None)
    upload = tk.request.files.get("image_upload")
    if kind is NEWS and isinstance(upload, FileStorage) and upload.filename:
        data["image_upload"] = upload
    if kind is NEWS and form.get("clear_upload"):
        data["clear_upload"] = True
    return data


def _dataset_choices() -> list[dict[str, str]]:
    result = tk.get_action("package_search")(
        _context(),
        {"rows": DATASET_CHOICES, "fl": "id,name,title", "sort": "title_string asc"},
    )
    return [{"id": d["id"], "name": d["name"], "title": d["title"]} for d in result["results"]]


def _show(kind: Kind, item_id: str) -> dict[str, Any]:
    try:
        return tk.get_action(f"bdom_{kind.name}_show")(_context(), {"id": item_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Not found"))


def _render_form(kind: Kind, values: dict, errors: dict, stored: dict | None) -> str:
    extra = {"data": values, "errors": errors, "stored": stored, "kind": kind.name}
    if kind is FEATURED:
        extra["datasets"] = _dataset_choices()
    return tk.render(kind.template, extra)


@promo.route("/bdom/promocja/<section>/dodaj", methods=["GET", "POST"], endpoint="new")
@promo.route("/bdom/promocja/<section>/<item_id>/edycja", methods=["GET", "POST"], endpoint="edit")
def form(section: str, item_id: str | None = None) -> Any:
    """Add or edit a news item or a featured dataset."""
    kind = KINDS.get(section) or tk.abort(404, tk._("Not found"))
    _require_manager()
    stored = _show(kind, item_id) if item_id else None
    if tk.request.method == "GET":
        return _render_form(kind, _form_values(kind, stored), {}, stored)
    data = _posted(kind)
    action = f"bdom_{kind.name}_{'update' if stored else 'create'}"
    try:
        tk.get_action(action)(_context(), {**data, "id": item_id} if stored else data)
    except tk.ValidationError as error:
        values = {k: v for k, v in data.items() if k not in ("image_upload", "clear_upload")}
        return _render_form(kind, values, error.error_dict, stored)
    tk.h.flash_success(
        tk._("The news item has been saved.")
        if kind is NEWS
        else tk._("The featured dataset has been saved.")
    )
    return tk.redirect_to("bdom_promo.manage")


@promo.route("/bdom/promocja/<section>/<item_id>/usun", methods=["GET", "POST"])
def delete(section: str, item_id: str) -> Any:
    """Ask, then delete a news item or stop featuring a dataset."""
    kind = KINDS.get(section) or tk.abort(404, tk._("Not found"))
    _require_manager()
    stored = _show(kind, item_id)
    if tk.request.method == "GET":
        return tk.render("bdom/promo/delete.html", {"item": stored, "kind": kind.name})
    tk.get_action(f"bdom_{kind.name}_delete")(_context(), {"id": item_id})
    tk.h.flash_success(
        tk._("The news item has been deleted.")
        if kind is NEWS
        else tk._("The dataset is no longer featured.")
    )
    return tk.redirect_to("bdom_promo.manage")


@promo.route("/bdom/promocja")
def manage() -> str:
    """Every news item and featured dataset, with where each one stands."""
    _require_manager()
    news = tk.get_action("bdom_news_list")(_context(), {"all": True, "limit": 100})
    featured = tk.get_action("bdom_featured_list")(_context(), {"all": True, "limit": 100})
    return tk.render("bdom/promo/manage.html", {"news": news, "featured": featured})


@promo.route("/aktualnosci")
def news_index() -> str:
    """Current news, newest first, a page at a time."""
    page = tk.h.get_page_number(tk.request.args)
    limit = config.news_per_page()
    result = tk.get_action("bdom_news_list")(
        _context(), {"limit": limit, "offset": (page - 1) * limit}
    )
    pager = Page(
        collection=result["results"],
        page=page,
        url=lambda q=None, page=None: tk.h.url_for("bdom_promo.news_index", page=page),
        item_count=result["count"],
        items_per_page=limit,
        presliced_list=True,
    )
    return tk.render("bdom/promo/news_index.html", {"page": pager, "count": result["count"]})


@promo.route("/aktualnosci/<item_id>")
def news_read(item_id: str) -> str:
    """A news item; drafts and items outside their dates only for managers."""
    return tk.render("bdom/promo/news_read.html", {"item": _show(NEWS, item_id)})


def get_blueprints() -> list[Blueprint]:
    return [promo]
