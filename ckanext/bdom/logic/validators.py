"""Validators of ckanext-bdom (config declarations and schemas).

Config validators run without a request, so their messages carry both
languages at once: Polish first, then English.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.bdom import config
from ckanext.bdom.lib import openness, schedule
from ckanext.bdom.schedule import config as schedule_config

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


# --- schema validators -----------------------------------------------------
#
# Every message names the field, says what is wrong and how to fix it, in
# Polish first and then in English: "Polish text. / English text."

LICENSE_IDS = ("cc-zero", "cc-by", "cc-by-sa", "cc-nc")
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
_PHONE_RE = re.compile(r"^\+?[\d\s()-]{9,20}$")
_TERYT_AREA_RE = re.compile(r"^(\d{2}|\d{4}|\d{7})$")
_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|([QH])(\d)))?$")
_REGON_WEIGHTS = {
    9: (8, 9, 2, 3, 4, 5, 6, 7),
    14: (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8),
}


def _scheming_validator(fn: Any) -> Any:
    """Mark ``fn(field, schema)`` as a scheming validator factory.

    The same as ``ckanext.scheming.validation.scheming_validator``; importing
    that module here would look validators up while plugins still load, and
    CKAN would then cache a validator list without ours.
    """
    fn.is_a_scheming_validator = True
    return fn


def _blank(value: Any) -> bool:
    return value is tk.missing or value is None or (isinstance(value, str) and not value.strip())


def _labels(field: dict[str, Any]) -> tuple[str, str]:
    """The field's Polish and English labels."""
    label = field.get("label") or field.get("field_name", "")
    if isinstance(label, dict):
        polish = label.get("pl") or label.get("en") or ""
        return polish, label.get("en") or polish
    return str(label), str(label)


def _json_list(value: Any) -> list[Any]:
    """A list from a list, a JSON list or a single value; ``[]`` when blank."""
    if _blank(value):
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        return loaded if isinstance(loaded, list) else [loaded]
    return [value]


@_scheming_validator
def bdom_required(field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The field must have a value."""
    polish, english = _labels(field)
    message = (
        f"Pole „{polish}” jest wymagane: uzupełnij je. / "
        f"The field “{english}” is required: fill it in."
    )

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        if _blank(value) or value == []:
            errors[key].append(message)
            raise tk.StopOnError

    return validator


@_scheming_validator
def bdom_choice(field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """One of the field's choices (blank passes; combine with bdom_required)."""
    polish, english = _labels(field)
    values = [choice["value"] for choice in field.get("choices", [])]

    def validator(value: Any) -> Any:
        if _blank(value) or value in values:
            return value
        allowed = ", ".join(values)
        raise tk.Invalid(
            f"Pole „{polish}” nie przyjmuje wartości {value!r}; wybierz jedną z: {allowed}. / "
            f"The field “{english}” does not accept {value!r}; choose one of: {allowed}."
        )

    return validator


@_scheming_validator
def bdom_multiple_choice(field: dict[str, Any], schema: dict[str, Any]) -> Any:
    """Zero or more of the field's choices (at least one if ``required``),
    given as a list, a JSON list or one value; stored as a JSON list in the
    order of the choices."""
    polish, english = _labels(field)
    order = [choice["value"] for choice in field.get("choices", [])]

    def validator(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        selected = _json_list(data.get(key))
        unknown = [value for value in selected if value not in order]
        if unknown:
            allowed = ", ".join(order)
            errors[key].append(
                f"Pole „{polish}” nie przyjmuje wartości {unknown}; wybierz spośród: {allowed}. / "
                f"The field “{english}” does not accept {unknown}; choose from: {allowed}."
            )
            raise tk.StopOnError
        if field.get("required") and not selected:
            errors[key].append(
                f"Pole „{polish}” jest wymagane: wybierz co najmniej jedną wartość. / "
                f"The field “{english}” is required: choose at least one value."
            )
            raise tk.StopOnError
        data[key] = json.dumps([value for value in order if value in selected])

    return validator


def bdom_iso37120_indicator_codes(value: Any) -> Any:
    """Every code is an indicator of the ISO 37120 catalogue (after
    ``scheming_multiple_text``), e.g. ``iso37120-2018:5.1``."""
    from ckanext.bdom.indicators import catalogue

    codes = _json_list(value)
    if not codes:
        return value
    path = tk.config.get("ckanext.bdom.indicators.catalogue_file") or None
    known = {indicator["id"] for indicator in catalogue.load(path).indicators}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise tk.Invalid(
            f"Nieznane kody wskaźników ISO 37120: {', '.join(map(str, unknown))}; kod to "
            "wydanie i numer punktu normy, np. iso37120-2018:5.1. / Unknown ISO 37120 "
            f"indicator codes: {', '.join(map(str, unknown))}; a code is the edition and "
            "the clause, e.g. iso37120-2018:5.1."
        )
    return value


def _checked(value: Any, valid: Callable[[str], Any], message: str) -> Any:
    """Blank passes; otherwise the stripped text if ``valid``, else ``message``
    (with ``{text!r}`` filled in) as the error."""
    if _blank(value):
        return value
    text = str(value).strip()
    if not valid(text):
        raise tk.Invalid(message.format(text=text))
    return text


def bdom_email(value: Any) -> Any:
    """An e-mail address such as ``dane@um.siemianowice.pl``."""
    return _checked(
        value,
        _EMAIL_RE.match,
        "Adres e-mail {text!r} jest niepoprawny; wpisz go w postaci nazwa@domena.pl. / "
        "The e-mail address {text!r} is not valid; enter it as name@domain.pl.",
    )


def bdom_url(value: Any) -> Any:
    """A web address starting with http:// or https://."""
    return _checked(
        value,
        _URL_RE.match,
        "Adres {text!r} nie jest adresem strony; wpisz pełny adres zaczynający się od "
        "https:// (np. https://www.siemianowice.pl). / "
        "{text!r} is not a web address; enter the full address starting with https:// "
        "(e.g. https://www.siemianowice.pl).",
    )


def bdom_phone(value: Any) -> Any:
    """A phone number: at least 9 digits, optionally +, spaces, dashes, brackets."""
    return _checked(
        value,
        lambda text: _PHONE_RE.match(text) and sum(ch.isdigit() for ch in text) >= 9,
        "Numer telefonu {text!r} jest niepoprawny; wpisz co najmniej 9 cyfr, "
        "np. +48 32 765 60 00. / "
        "The phone number {text!r} is not valid; enter at least 9 digits, "
        "e.g. +48 32 765 60 00.",
    )


def bdom_teryt_area(value: Any) -> Any:
    """A TERYT (TERC) code of a voivodeship (2 digits), powiat (4) or gmina (7)."""
    return _checked(
        value,
        _TERYT_AREA_RE.match,
        "Kod TERYT {text!r} jest niepoprawny; podaj 2 cyfry (województwo), 4 (powiat) "
        "albo 7 (gmina), np. 2474011. / "
        "The TERYT code {text!r} is not valid; give 2 digits (voivodeship), 4 (powiat) "
        "or 7 (gmina), e.g. 2474011.",
    )


def _valid_period(match: re.Match[str]) -> bool:
    year, month, day, half_or_quarter, number = match.groups()
    if half_or_quarter:
        return 1 <= int(number) <= (4 if half_or_quarter == "Q" else 2)
    if month and not 1 <= int(month) <= 12:
        return False
    if day:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            return False
    return True


def bdom_reference_period(value: Any) -> Any:
    """The period the data describe: a year, a month, a day, a quarter or a half-year."""
    return _checked(
        value,
        lambda text: (match := _PERIOD_RE.match(text)) and _valid_period(match),
        "Okres {text!r} jest niepoprawny; podaj rok (2024), miesiąc (2024-12), dzień "
        "(2024-12-31), kwartał (2024-Q4) albo półrocze (2024-H2). / "
        "The period {text!r} is not valid; give a year (2024), a month (2024-12), a day "
        "(2024-12-31), a quarter (2024-Q4) or a half-year (2024-H2).",
    )


def bdom_date(value: Any) -> Any:
    """A calendar date, stored as YYYY-MM-DD."""
    if _blank(value):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return schedule.parse_date(value).isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise tk.Invalid(
            f"Data {text!r} jest niepoprawna; wpisz ją w postaci RRRR-MM-DD, np. 2024-12-31. / "
            f"The date {text!r} is not valid; enter it as YYYY-MM-DD, e.g. 2024-12-31."
        ) from None


def bdom_license_id(value: Any) -> Any:
    """One of the licences dane.gov.pl accepts from CKAN portals."""
    if value in LICENSE_IDS:
        return value
    allowed = ", ".join(LICENSE_IDS)
    raise tk.Invalid(
        f"Licencja {value!r} nie jest dozwolona; wybierz jedną z: {allowed} "
        f"(tylko te przyjmuje dane.gov.pl). / "
        f"The licence {value!r} is not allowed; choose one of: {allowed} "
        f"(the only ones dane.gov.pl accepts)."
    )


def bdom_yes_no(value: Any) -> Any:
    """Yes or no, stored as ``"true"`` or ``"false"``."""
    if _blank(value):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "tak", "on", "1"}:
        return "true"
    if text in {"false", "no", "nie", "off", "0"}:
        return "false"
    raise tk.Invalid(
        f"Wartość {value!r} nie jest odpowiedzią tak/nie; podaj true albo false. / "
        f"{value!r} is not a yes/no answer; give true or false."
    )


def bdom_max_length(length: int) -> Any:
    """At most ``length`` characters (dane.gov.pl limits texts of conditions to 4000)."""

    def validator(value: Any) -> Any:
        if isinstance(value, str) and len(value) > int(length):
            raise tk.Invalid(
                f"Tekst ma {len(value)} znaków, a może mieć najwyżej {length}; skróć go. / "
                f"The text has {len(value)} characters and may have at most {length}; "
                f"shorten it."
            )
        return value

    return validator


def _flag(data: FlattenDataDict, name: str) -> bool:
    value = _dataset_value(data, name)
    return not _blank(value) and str(value).strip().lower() in {"true", "yes", "tak", "on", "1"}


def bdom_hvd_category_consistent(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """High-value data need an HVD category; other data may not have one."""
    categories = _json_list(data.get(key))
    high_value = _flag(data, "bdom_has_high_value_data")
    if high_value and not categories:
        errors[key].append(
            "Zbiór oznaczono jako dane o wysokiej wartości: wybierz co najmniej jedną kategorię "
            "danych o wysokiej wartości. / The dataset is marked as high-value data: choose at "
            "least one high-value dataset category."
        )
    elif categories and not high_value:
        errors[key].append(
            "Kategorię danych o wysokiej wartości podaje się tylko dla danych o wysokiej "
            "wartości: zaznacz „Dane o wysokiej wartości” albo usuń kategorię. / A high-value "
            "dataset category is only given for high-value data: tick “High-value data” or "
            "remove the category."
        )


def bdom_db_or_copyrighted_license(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The database/copyright conditions and their licence come together (dane.gov.pl)."""
    has_text = not _blank(_dataset_value(data, "bdom_condition_db_or_copyrighted"))
    has_license = not _blank(data.get(key))
    if has_text and not has_license:
        errors[key].append(
            "Podano warunki dotyczące praw do bazy danych lub praw autorskich: wybierz też "
            "licencję, na której udostępniasz te dane. / Conditions on database rights or "
            "copyright are given: also choose the licence the data are shared under."
        )
    elif has_license and not has_text:
        errors[key].append(
            "Wybrano licencję dla praw do bazy danych lub praw autorskich: opisz też te prawa "
            "w polu „Prawa do bazy danych lub prawa autorskie”. / A licence for database "
            "rights or copyright is chosen: also describe those rights in the field "
            "“Database rights or copyright”."
        )


def bdom_column_name(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A described column needs its name (a fully blank row is left alone)."""
    if not _blank(data.get(key)):
        data[key] = str(data[key]).strip()
        return
    row = key[:-1]
    described = any(
        not _blank(value) for other, value in data.items() if other[:-1] == row and other != key
    )
    if described:
        errors[key].append(
            "Opisana kolumna nie ma nazwy: wpisz nazwę kolumny tak, jak w nagłówku pliku. / "
            "A described column has no name: enter the column's name as in the file's header."
        )
        raise tk.StopOnError


# --- computed, read-only dataset fields --------------------------------------
#
# Each runs on input (whatever a user sends is replaced, so nobody can set the
# value) and again as an output validator, so package_show always returns the
# value computed from the current resources and frequency.


def _dataset_value(data: FlattenDataDict, name: str) -> Any:
    """A dataset field, whether still top-level or already moved to extras."""
    value = data.get((name,), tk.missing)
    if value is not tk.missing:
        return value
    for key, extra_key in data.items():
        if len(key) == 3 and key[0] == "extras" and key[2] == "key" and extra_key == name:
            return data.get(("extras", key[1], "value"))
    return None


def _resources(data: FlattenDataDict) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        if len(key) == 3 and key[0] == "resources" and value is not tk.missing:
            rows.setdefault(key[1], {})[key[2]] = value
    return [rows[index] for index in sorted(rows)]


def bdom_last_data_update(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: the newest data date among the resources (lib/schedule.py)."""
    date = schedule.last_data_update(_resources(data))
    data[key] = date.isoformat() if date else None


def bdom_next_update_due(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: the next due date from the update frequency and the reference
    period of the latest data, else the last data update (lib/schedule.py)."""
    dataset = {
        name: _dataset_value(data, name)
        for name in ("frequency", "bdom_reference_period", "bdom_collect_due")
    }
    due = schedule.dataset_due(
        {**dataset, "resources": _resources(data)}, schedule_config.lag_months()
    )
    data[key] = due.isoformat() if due else None


def bdom_openness_score(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: 1–5 stars from the resource formats (lib/openness.py)."""
    data[key] = openness.openness_score(_resources(data))


def bdom_hvd_legislation(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Computed: the HVD implementing regulation, for high-value data only."""
    data[key] = json.dumps([HVD_LEGISLATION] if _flag(data, "bdom_has_high_value_data") else [])


# --- dataset defaults (schema ``after_validators``) ---------------------------


def _has_rows(data: FlattenDataDict, name: str) -> bool:
    return any(
        len(key) == 3 and key[0] == name and not _blank(value) for key, value in data.items()
    )


def _replace_rows(data: FlattenDataDict, name: str, row: dict[str, Any]) -> None:
    for key in [key for key in data if len(key) == 3 and key[0] == name]:
        del data[key]
    for sub, value in row.items():
        data[(name, 0, sub)] = value


def _steward_coordinator(owner_org: Any) -> dict[str, Any] | None:
    from ckan import model

    group = model.Group.get(owner_org) if isinstance(owner_org, str) and owner_org else None
    if group is None:
        return None
    for coordinator in _json_list(group.extras.get("bdom_coordinators")):
        if isinstance(coordinator, dict) and (coordinator.get("name") or coordinator.get("email")):
            return coordinator
    return None


def bdom_default_contact(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An empty contact point becomes the steward's first coordinator."""
    if _has_rows(data, "contact") or errors.get(("owner_org",)):
        return
    coordinator = _steward_coordinator(data.get(("owner_org",)))
    if coordinator:
        row = {"name": coordinator.get("name", ""), "email": coordinator.get("email", "")}
        _replace_rows(data, "contact", row)


def bdom_default_spatial_coverage(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """An empty spatial coverage becomes the city (its configured TERYT code)."""
    if not _has_rows(data, "spatial_coverage"):
        row = {"bdom_teryt": config.teryt(), "text": config.city_name()}
        _replace_rows(data, "spatial_coverage", row)


# --- steward organizations ----------------------------------------------------


def _regon_checksum_ok(digits: str) -> bool:
    weights = _REGON_WEIGHTS[len(digits)]
    check = sum(int(d) * w for d, w in zip(digits[:-1], weights, strict=True)) % 11 % 10
    return check == int(digits[-1])


def bdom_regon(value: Any) -> Any:
    """A REGON number: 9 or 14 digits with GUS's check digit."""
    if _blank(value):
        return value
    text = re.sub(r"[\s-]", "", str(value))
    if not re.fullmatch(r"\d{9}|\d{14}", text):
        raise tk.Invalid(
            f"REGON ma 9 albo 14 cyfr; podano {value!r}. / "
            f"A REGON number has 9 or 14 digits; got {value!r}."
        )
    if not _regon_checksum_ok(text) or (len(text) == 14 and not _regon_checksum_ok(text[:9])):
        raise tk.Invalid(
            f"REGON {text} ma błędną cyfrę kontrolną; sprawdź numer w wyszukiwarce REGON GUS "
            f"(wyszukiwarkaregon.stat.gov.pl). / The REGON number {text} has a wrong check "
            f"digit; check it in the GUS REGON search (wyszukiwarkaregon.stat.gov.pl)."
        )
    return text


def _coordinator_problems(number: int, coordinator: dict[str, Any]) -> list[str]:
    problems = []
    if _blank(coordinator.get("name")):
        problems.append(
            f"Koordynator nr {number}: wpisz imię i nazwisko. / "
            f"Coordinator {number}: enter the name."
        )
    if _blank(coordinator.get("email")):
        problems.append(
            f"Koordynator nr {number}: wpisz adres e-mail. / "
            f"Coordinator {number}: enter the e-mail address."
        )
    for name, check in (("email", bdom_email), ("phone", bdom_phone)):
        try:
            check(coordinator.get(name))
        except tk.Invalid as error:
            polish, english = error.error.split(" / ", 1)
            problems.append(f"Koordynator nr {number}: {polish} / Coordinator {number}: {english}")
    return problems


def bdom_coordinators(value: Any) -> Any:
    """The steward's coordinators (name, e-mail, phone), stored as a JSON list.

    Accepts a list of dicts, its JSON text, or the organization form's rows;
    fully blank rows are dropped.
    """
    rows = [
        {sub: str(row.get(sub) or "").strip() for sub in ("name", "email", "phone")}
        for row in _json_list(value)
        if isinstance(row, dict)
    ]
    if len(rows) != len(_json_list(value)):
        raise tk.Invalid(
            "Koordynatorów podaj jako listę obiektów z polami name, email i phone. / "
            "Give the coordinators as a list of objects with the fields name, email and phone."
        )
    rows = [row for row in rows if any(row.values())]
    problems = [p for n, row in enumerate(rows, 1) for p in _coordinator_problems(n, row)]
    if problems:
        raise tk.Invalid(" ".join(problems))
    return json.dumps(rows, ensure_ascii=False)


def bdom_collect_form_rows(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Organization form: gather ``bdom_coordinators-<n>-<field>`` inputs into a list.

    Scheming turns such repeating inputs into lists for datasets only.
    """
    extras = data.get(("__extras",))
    if not isinstance(extras, dict):
        return
    rows: dict[str, dict[str, Any]] = {}
    for name in [name for name in extras if name.startswith("bdom_coordinators-")]:
        parts = name.split("-", 2)
        if len(parts) == 3:
            rows.setdefault(parts[1], {})[parts[2]] = extras.pop(name)
    if rows and _blank(data.get(("bdom_coordinators",))):
        ordered = sorted(rows, key=lambda index: int(index) if index.isdigit() else 0)
        data[("bdom_coordinators",)] = [rows[index] for index in ordered]


def bdom_collect_years(value: Any) -> Any:
    """The years a collection plan asks for, as ``2015-2020, 2022`` (collect/plan.py)."""
    from ckanext.bdom.collect import plan

    return plan.normalise_years(value)
