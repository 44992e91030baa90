"""Validators of ckanext-bdom (config declarations and schemas).

Config validators run without a request, so their messages carry both
languages at once: Polish first, then English.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

_TERYT_RE = re.compile(r"^\d{7}$")
_BDL_UNIT_RE = re.compile(r"^\d{12}$")


def _digits(value: Any, pattern: re.Pattern[str], polish: str, english: str) -> str:
    text = str(value).strip()
    if not pattern.match(text):
        raise tk.Invalid(f"{polish}; podano {text!r}. / {english}; got {text!r}.")
    return text


def bdom_teryt_code(value: Any) -> str:
    """A 7-digit TERYT (TERC) gmina code, e.g. ``2474011``."""
    return _digits(
        value,
        _TERYT_RE,
        "Kod TERYT gminy ma 7 cyfr (województwo, powiat, gmina, rodzaj gminy), np. 2474011",
        "A gmina TERYT code has 7 digits (voivodeship, powiat, gmina, gmina type), e.g. 2474011",
    )


def bdom_bdl_unit_id(value: Any) -> str:
    """A 12-digit GUS BDL territorial unit id, e.g. ``012414874011``."""
    return _digits(
        value,
        _BDL_UNIT_RE,
        "Identyfikator jednostki BDL ma 12 cyfr (razem z zerami na początku), np. 012414874011",
        "A BDL unit id has 12 digits (leading zeros included), e.g. 012414874011",
    )


def bdom_keywords_required(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """At least one keyword, given as ``tag_string`` or as ``tags``.

    The 2022 regulation on the national data portal requires keywords.
    """
    tag_string = data.get(key)
    if tag_string not in (None, "") and tag_string is not tk.missing:
        return
    has_tags = any(k[0] == "tags" and data[k] for k in data if len(k) == 3 and k[2] == "name")
    if not has_tags:
        errors[key].append(
            "Podaj co najmniej jedno słowo kluczowe (kilka oddziel przecinkami). / "
            "Give at least one keyword (separate several with commas)."
        )
    raise tk.StopOnError
