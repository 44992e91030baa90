"""Schemas and validators of news items and featured datasets.

Every message says what is wrong and how to fix it, in Polish first and then
in English ("Polski. / English."), as the other BDoM validators do.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytz

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema

from ckanext.bdom.promo import model as promo_model

TITLE_MAX = 200
LEAD_MAX = 500
BODY_MAX = 20000
ALT_MAX = 250
BLURB_MAX = 300

REQUIRED = {
    "title": "Podaj tytuł aktualności. / Give the news item a title.",
    "lead": (
        "Podaj lead: jedno lub dwa zdania zapowiedzi, widoczne na stronie głównej i na liście "
        "aktualności. / Give a lead: one or two sentences shown on the home page and in the "
        "news list."
    ),
    "publish_at": (
        "Podaj datę publikacji, np. 2026-05-04 09:00; przed nią aktualność nie jest widoczna. / "
        "Give the publish date, e.g. 2026-05-04 09:00; the item is hidden before it."
    ),
    "package_id": (
        "Wskaż zbiór danych: jego nazwę z adresu strony (/dataset/nazwa) lub identyfikator. / "
        "Choose the dataset: its name from its page address (/dataset/name) or its id."
    ),
}
TOO_LONG = (
    "{pl} może mieć najwyżej {limit} znaków, a ma {length}: skróć go. / "
    "The {en} may have at most {limit} characters but has {length}: shorten it."
)
FIELD_NAMES = {
    "title": ("Tytuł", "title"),
    "lead": ("Lead", "lead"),
    "body": ("Treść", "body"),
    "image_alt": ("Tekst alternatywny", "alternative text"),
    "blurb": ("Opis", "blurb"),
}
BAD_DATE = (
    "Podaj datę jako RRRR-MM-DD albo RRRR-MM-DD GG:MM, np. 2026-05-04 09:00; podano „{value}”. / "
    "Give the date as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-05-04 09:00; got '{value}'."
)
EXPIRY_NOT_AFTER = (
    "Data wygaśnięcia musi być późniejsza niż data publikacji: popraw jedną z nich albo zostaw "
    "wygaśnięcie puste. / The expiry date must be later than the publish date: correct one of "
    "them or leave the expiry empty."
)
BAD_STATE = (
    "Stan to „draft” (szkic, niewidoczny publicznie) albo „published” (opublikowana). / "
    "The state is 'draft' (not public) or 'published'."
)
BAD_IMAGE_URL = (
    "Adres obrazka musi zaczynać się od https:// lub http://; możesz też wgrać plik. / "
    "The image address must start with https:// or http://; you can also upload a file."
)
BAD_IMAGE_FILE = (
    "Ten plik nie jest obrazkiem PNG, JPEG, GIF ani WebP: wybierz inny plik albo podaj adres "
    "obrazka. / This file is not a PNG, JPEG, GIF or WebP image: choose another file or give "
    "the image's address."
)
IMAGE_TOO_LARGE = (
    "Obrazek jest za duży (najwyżej {mb} MB): zmniejsz go i wgraj ponownie. / "
    "The image is too large (at most {mb} MB): make it smaller and upload it again."
)
ALT_REQUIRED = (
    "Opisz obrazek w polu „Tekst alternatywny” (co na nim widać): osoby niewidome usłyszą ten "
    "opis. / Describe the image in 'Alternative text' (what it shows): blind readers hear it."
)
BAD_POSITION = (
    "Kolejność to liczba całkowita od 0 wzwyż (mniejsza liczba = wyżej na stronie); "
    "podano „{value}”. / The order is a whole number from 0 up (smaller = higher on the "
    "page); got '{value}'."
)
NO_DATASET = (
    "Nie ma zbioru danych „{value}”: sprawdź nazwę z adresu jego strony (/dataset/nazwa). / "
    "There is no dataset '{value}': check the name in its page address (/dataset/name)."
)
NOT_PUBLIC = (
    "Zbiór „{value}” nie jest opublikowany, a wyróżnić można tylko zbiór publiczny: poczekaj, "
    "aż pełnomocnik ds. otwartych danych go opublikuje. / The dataset '{value}' is not "
    "published and only a public dataset can be featured: wait until the open data officer "
    "publishes it."
)
ALREADY_FEATURED = (
    "Zbiór „{value}” jest już wyróżniony: zmień istniejący wpis zamiast dodawać nowy. / "
    "The dataset '{value}' is already featured: edit the existing entry instead of adding "
    "a new one."
)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _required(field: str) -> Callable[..., Any]:
    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, _c: Any):
        value = data.get(key)
        if value is None or value is tk.missing or not str(value).strip():
            errors[key].append(REQUIRED[field])
            raise tk.StopOnError

    return validator


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _max_chars(field: str, limit: int) -> Callable[[Any], Any]:
    polish, english = FIELD_NAMES[field]

    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise tk.Invalid(TOO_LONG.format(pl=polish, en=english, limit=limit, length=len(value)))
        return value

    return validator


def to_utc(value: datetime.datetime) -> datetime.datetime:
    """Naive UTC; a naive value is a time in the portal's display timezone."""
    if value.tzinfo is None:
        zone = tk.h.get_display_timezone()
        value = zone.localize(value) if hasattr(zone, "localize") else value.replace(tzinfo=zone)
    return value.astimezone(pytz.utc).replace(tzinfo=None)


def bdom_promo_datetime(value: Any) -> Any:
    """A date, or a date and time (ISO 8601, ``T`` or a space between)."""
    if value is None or value is tk.missing or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return to_utc(value)
    text = str(value).strip()
    try:
        if _DATE_RE.match(text):
            parsed = datetime.datetime.strptime(text, "%Y-%m-%d")
        else:
            parsed = datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise tk.Invalid(BAD_DATE.format(value=text)) from None
    return to_utc(parsed)


def bdom_promo_state(value: Any) -> str:
    text = str(value or promo_model.DRAFT).strip()
    if text not in promo_model.STATES:
        raise tk.Invalid(BAD_STATE)
    return text


def bdom_promo_position(value: Any) -> int:
    if value is None or value is tk.missing or value == "":
        return 0
    try:
        position = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(BAD_POSITION.format(value=value)) from None
    if position < 0:
        raise tk.Invalid(BAD_POSITION.format(value=value))
    return position


def bdom_promo_public_dataset(value: Any, context: Context) -> str:
    """The id of an active public dataset, from its name or id."""
    text = str(value).strip()
    pkg = model.Package.get(text)
    if pkg is None or pkg.state != "active":
        raise tk.Invalid(NO_DATASET.format(value=text))
    if pkg.private:
        raise tk.Invalid(NOT_PUBLIC.format(value=pkg.name))
    return pkg.id


def _text(field: str, limit: int, required: bool) -> list[Any]:
    first = [_required(field)] if required else [tk.get_validator("default")("")]
    return [*first, tk.get_validator("unicode_safe"), _stripped, _max_chars(field, limit)]


def news_schema() -> Schema:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    default = tk.get_validator("default")
    return {
        "id": [ignore_missing, unicode_safe],
        "title": _text("title", TITLE_MAX, required=True),
        "lead": _text("lead", LEAD_MAX, required=True),
        "body": [default(""), unicode_safe, _max_chars("body", BODY_MAX)],
        "image_url": [default(""), unicode_safe, _stripped],
        "image_alt": _text("image_alt", ALT_MAX, required=False),
        "publish_at": [_required("publish_at"), bdom_promo_datetime],
        "expire_at": [ignore_missing, bdom_promo_datetime],
        "state": [default(promo_model.DRAFT), bdom_promo_state],
    }


def featured_schema() -> Schema:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "id": [ignore_missing, unicode_safe],
        "package_id": [_required("package_id"), unicode_safe, bdom_promo_public_dataset],
        "blurb": _text("blurb", BLURB_MAX, required=False),
        "position": [bdom_promo_position],
        "publish_at": [_required("publish_at"), bdom_promo_datetime],
        "expire_at": [ignore_missing, bdom_promo_datetime],
    }


def check_window(data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    publish, expire = data.get("publish_at"), data.get("expire_at")
    if publish and expire and expire <= publish:
        errors.setdefault("expire_at", []).append(EXPIRY_NOT_AFTER)


def check_image(data: dict[str, Any], errors: dict[str, list[str]], stored: set[str]) -> None:
    """An image is a URL or a file uploaded now or before; it needs alt text."""
    image = data.get("image_url") or ""
    if image and image not in stored and not _URL_RE.match(image):
        errors.setdefault("image_url", []).append(BAD_IMAGE_URL)
    if image and not data.get("image_alt"):
        errors.setdefault("image_alt", []).append(ALT_REQUIRED)


def validate(
    data_dict: dict[str, Any], schema: Schema, context: Context
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    data, errors = tk.navl_validate(data_dict, schema, context)
    errors = {key: list(messages) for key, messages in errors.items() if messages}
    if "publish_at" not in errors and "expire_at" not in errors:
        check_window(data, errors)
    return data, errors
