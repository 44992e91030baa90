"""BDL JSON → tidy rows → UTF-8 CSV and BDoM dataset dicts. Pure functions.

A tidy row is one value: unit, variable, year. ``attrId`` codes that mean "no
data" give an empty value (never 0), years are integers and unit ids stay
12-character strings. Nothing here does I/O or imports CKAN.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

COLUMNS = (
    "unit_id",
    "unit_name",
    "variable_id",
    "variable_name",
    "year",
    "value",
    "measure_unit",
    "flag",
)

# DataStore types for xloader (its type overrides: text, numeric, timestamp)
COLUMN_TYPES = {
    "unit_id": "text",
    "unit_name": "text",
    "variable_id": "numeric",
    "variable_name": "text",
    "year": "numeric",
    "value": "numeric",
    "measure_unit": "text",
    "flag": "text",
}

# attrId → (symbol, Polish meaning, English meaning); bdl-api.md §6.8
ATTRIBUTES: dict[int, tuple[str, str, str]] = {
    0: ("", "brak danych", "no data"),
    1: ("", "wartość", "value"),
    3: ("k", "agregat może być niepełny", "aggregate may be incomplete"),
    4: (
        "x",
        "brak informacji, tajemnica statystyczna lub wypełnienie niemożliwe",
        "no information, confidential or impossible",
    ),
    7: ("a", "wartość mniejsza od dokładności prezentacji", "below the presentation precision"),
    9: ("s", "dana szacunkowa (wstępna)", "preliminary estimate"),
    11: ("M", "zmiana metodologiczna", "methodological change"),
    13: (
        "K",
        "zmiana metodologiczna; agregat może być niepełny",
        "methodological change; aggregate may be incomplete",
    ),
    14: ("X", "zmiana metodologiczna; brak informacji", "methodological change; no information"),
    15: (
        "-",
        "brak informacji: zmiana poziomu prezentacji lub listy jednostek",
        "no information: presentation level or unit list changed",
    ),
    17: (
        "A",
        "zmiana metodologiczna; poniżej dokładności prezentacji",
        "methodological change; below the presentation precision",
    ),
    20: ("v", "dane o niskiej precyzji", "low-precision data"),
    21: ("v", "dane o niskiej precyzji", "low-precision data"),
    50: ("n", "dana jeszcze niedostępna", "not yet available"),
    91: (
        "x",
        "brak informacji, tajemnica statystyczna lub wypełnienie niemożliwe",
        "no information, confidential or impossible",
    ),
    94: ("z", "zero z bilansu", "a true zero from a balance"),
    97: (
        "p",
        "powiat łącznie z miastem na prawach powiatu",
        "powiat together with its city with powiat rights",
    ),
    98: ("Z", "zmiana metodologiczna; zero z bilansu", "methodological change; true zero"),
}
NO_DATA = frozenset({0, 4, 14, 15, 50, 91})

BDL_VARIABLE_URL = "https://bdl.stat.gov.pl/api/v1/variables/{id}?lang=pl"
BDL_HOME = "https://bdl.stat.gov.pl/bdl/start"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/{}"
ANNUAL = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
POLISH = "http://publications.europa.eu/resource/authority/language/POL"


class MalformedPayloadError(ValueError):
    """A BDL record lacks a field the mapping needs or has a wrong type."""


@dataclass(frozen=True)
class Variable:
    """What the mapping needs to know about a BDL variable."""

    id: int
    name: str
    level: int = 6
    measure: str = ""
    subject_id: str = ""
    name_en: str = ""

    @classmethod
    def from_bdl(cls, record: Mapping[str, Any]) -> Variable:
        """From ``/variables/{id}`` (or a catalogue entry of the same shape)."""
        try:
            var_id = int(record["id"])
        except (KeyError, TypeError, ValueError) as error:
            message = f"variable without a numeric id: {record!r:.200}"
            raise MalformedPayloadError(message) from error
        name = record.get("name") or " / ".join(
            str(record[key]) for key in ("n1", "n2", "n3", "n4", "n5") if record.get(key)
        )
        return cls(
            id=var_id,
            name=str(name or var_id),
            level=int(record.get("level") or 6),
            measure=str(record.get("measureUnitName") or ""),
            subject_id=str(record.get("subjectId") or ""),
            name_en=str(record.get("name_en") or ""),
        )


@dataclass
class Topic:
    """One dataset: a curated group of variables or one BDL subject."""

    key: str
    title: dict[str, str]
    variables: list[Variable]
    description: dict[str, str] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=lambda: ["SOCI"])
    iso37120_themes: list[str] = field(default_factory=list)
    iso37120_indicators: list[str] = field(default_factory=list)
    methodology: str = ""

    @property
    def guid(self) -> str:
        return f"bdl:{self.key}"

    @classmethod
    def from_catalogue(cls, entry: Mapping[str, Any]) -> Topic:
        return cls(
            key=entry["key"],
            title=dict(entry["title"]),
            description=dict(entry.get("description") or {}),
            variables=[Variable.from_bdl(v) for v in entry["variables"]],
            keywords=list(entry.get("keywords") or []),
            themes=list(entry.get("themes") or ["SOCI"]),
            iso37120_themes=list(entry.get("iso37120_themes") or []),
            iso37120_indicators=list(entry.get("iso37120_indicators") or []),
            methodology=str(entry.get("methodology") or ""),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "keywords": self.keywords,
            "themes": self.themes,
            "iso37120_themes": self.iso37120_themes,
            "iso37120_indicators": self.iso37120_indicators,
            "methodology": self.methodology,
            "variables": [
                {
                    "id": v.id,
                    "name": v.name,
                    "name_en": v.name_en,
                    "level": v.level,
                    "measureUnitName": v.measure,
                    "subjectId": v.subject_id,
                }
                for v in self.variables
            ],
        }


def unit_level(unit_id: str) -> int:
    """Territorial level of a 12-character BDL unit id (0 Poland … 6 gmina)."""
    if unit_id == "000000000000":
        return 0
    if unit_id[2:] == "0000000000":
        return 1
    if unit_id[4:] == "00000000":
        return 2
    if unit_id[5:] == "0000000":
        return 3
    if unit_id[7:] == "00000":
        return 4
    if unit_id[9:] == "000":
        return 5
    return 6


def value_of(record: Mapping[str, Any]) -> tuple[Decimal | None, str]:
    """(value, flag) of one ``values[]`` item; "no data" codes give None."""
    try:
        attr = int(record.get("attrId", 1))
    except (TypeError, ValueError) as error:
        raise MalformedPayloadError(f"attrId is not a number: {record!r:.200}") from error
    symbol = ATTRIBUTES.get(attr, (str(attr), "", ""))[0]
    if attr in NO_DATA:
        return None, symbol or "brak"
    raw = record.get("val")
    if raw is None:
        return None, symbol
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise MalformedPayloadError(f"val is not a number: {record!r:.200}")
    try:
        return Decimal(str(raw)), symbol
    except ArithmeticError as error:
        raise MalformedPayloadError(f"val is not a number: {record!r:.200}") from error


def tidy_rows(
    unit_id: str,
    unit_name: str,
    results: Iterable[Mapping[str, Any]],
    variables: Mapping[int, Variable],
    measures: Mapping[int, str] | None = None,
    years: tuple[int | None, int | None] = (None, None),
) -> list[dict[str, Any]]:
    """Rows of one ``/data/by-unit`` answer for the variables we know."""
    first, last = years
    rows = []
    for result in results:
        if not isinstance(result, Mapping) or "id" not in result:
            raise MalformedPayloadError(f"a result has no variable id: {result!r:.200}")
        values = result.get("values")
        if not isinstance(values, list):
            raise MalformedPayloadError(f"variable {result.get('id')}: 'values' is missing")
        try:
            var_id = int(result["id"])
        except (TypeError, ValueError) as error:
            raise MalformedPayloadError(f"variable id is not a number: {result['id']!r}") from error
        variable = variables.get(var_id)
        if variable is None:
            continue
        measure = variable.measure or (measures or {}).get(result.get("measureUnitId"), "")
        for item in values:
            if not isinstance(item, Mapping) or "year" not in item:
                raise MalformedPayloadError(f"variable {var_id}: a value has no year")
            try:
                year = int(item["year"])
            except (TypeError, ValueError) as error:
                raise MalformedPayloadError(f"variable {var_id}: year {item['year']!r}") from error
            if (first and year < first) or (last and year > last):
                continue
            value, flag = value_of(item)
            rows.append(
                {
                    "unit_id": str(unit_id).zfill(12),
                    "unit_name": unit_name,
                    "variable_id": var_id,
                    "variable_name": variable.name,
                    "year": year,
                    "value": value,
                    "measure_unit": measure,
                    "flag": flag,
                }
            )
    return rows


def last_updates(results: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """Variable id → BDL ``lastUpdate`` of one ``by-unit`` answer."""
    found = {}
    for result in results:
        if isinstance(result, Mapping) and "id" in result and result.get("lastUpdate"):
            found[int(result["id"])] = str(result["lastUpdate"])
    return found


def sort_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["variable_id"], r["unit_id"], r["year"]))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, float):
        return cell(Decimal(str(value)))
    return str(value)


def rows_to_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV (comma, header row, decimal point, empty cell for no data)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([cell(row[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def rows_to_json(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """JSON-safe rows (values as strings, so nothing is lost to floats)."""
    return [{**row, "value": cell(row["value"]) or None} for row in rows]


def rows_from_json(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**row, "value": Decimal(row["value"]) if row.get("value") not in (None, "") else None}
        for row in rows
    ]


def digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[str]:
    """What changed between two row sets, in words, for the activity stream."""
    key = lambda r: (str(r["unit_id"]), int(r["variable_id"]), int(r["year"]))  # noqa: E731
    before = {key(r): cell(r["value"]) for r in old}
    after = {key(r): cell(r["value"]) for r in new}
    lines = []
    for k in sorted(after.keys() & before.keys()):
        if before[k] != after[k]:
            lines.append(f"{k[1]} {k[0]} {k[2]}: {before[k] or '—'} → {after[k] or '—'}")
    added = len(after.keys() - before.keys())
    if added:
        lines.append(f"+{added}")
    removed = len(before.keys() - after.keys())
    if removed:
        lines.append(f"-{removed}")
    return lines


def _date(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _attribute_legend(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    used = sorted({row["flag"] for row in rows if row["flag"]})
    legend = []
    for symbol in used:
        for code, (sym, polish, english) in ATTRIBUTES.items():
            if (sym or "brak") == symbol:
                legend.append(f"`{symbol}`: {polish} / {english} (attrId {code})")
                break
    return legend


def column_dictionary(topic: Topic) -> list[dict[str, str]]:
    measures = ", ".join(sorted({v.measure for v in topic.variables if v.measure}))
    return [
        {
            "name": "unit_id",
            "type": "text",
            "description": "Identyfikator jednostki terytorialnej BDL (12 znaków) / BDL unit id",
        },
        {"name": "unit_name", "type": "text", "description": "Nazwa jednostki / unit name"},
        {
            "name": "variable_id",
            "type": "integer",
            "description": "Identyfikator zmiennej BDL / BDL variable id",
        },
        {"name": "variable_name", "type": "text", "description": "Nazwa zmiennej / variable"},
        {"name": "year", "type": "integer", "description": "Rok / year"},
        {
            "name": "value",
            "type": "decimal",
            "unit": measures,
            "description": "Wartość; puste = brak danych / value; empty = no data",
        },
        {"name": "measure_unit", "type": "text", "description": "Jednostka miary / unit"},
        {
            "name": "flag",
            "type": "text",
            "description": "Symbol atrybutu BDL (attrId), np. s = dana szacunkowa / BDL flag",
        },
    ]


def dataset_dict(
    topic: Topic,
    rows: Sequence[Mapping[str, Any]],
    updated: Mapping[int, str],
    owner_org: str,
    city_teryt: str,
    discontinued: Sequence[int] = (),
    notice: str = "",
) -> dict[str, Any]:
    """The BDoM dataset (package_show form, without resources) of one topic."""
    years = sorted({int(row["year"]) for row in rows if row["value"] is not None})
    by_id = {v.id: v for v in topic.variables}
    gone = [by_id[i] for i in discontinued if i in by_id]
    lines = [topic.description.get("pl", ""), ""]
    if topic.description.get("en"):
        lines += [f"*{topic.description['en']}*", ""]
    lines += [
        "Źródło: Główny Urząd Statystyczny, Bank Danych Lokalnych (BDL). "
        "Zbiór aktualizowany automatycznie przez harwester BDL. / "
        "Source: Statistics Poland, Local Data Bank; harvested automatically.",
        "",
        "Zmienne BDL / BDL variables:",
        "",
    ]
    for variable in topic.variables:
        mark = " — **wycofana w BDL / discontinued in BDL**" if variable in gone else ""
        measure = f" [{variable.measure}]" if variable.measure else ""
        lines.append(
            f"* [{variable.id}]({BDL_VARIABLE_URL.format(id=variable.id)}) "
            f"{variable.name}{measure}{mark}"
        )
    if notice:
        lines += ["", f"**{notice}**"]
    units = sorted({row["unit_name"] for row in rows if row.get("unit_name")})
    methodology = [topic.methodology] if topic.methodology else []
    methodology += [
        "Dane pobrane z API BDL GUS (https://bdl.stat.gov.pl/api/v1), agregat „ogółem”. "
        "Wartości oznaczone w BDL jako brak danych (attrId 0, 4, 14, 15, 50, 91) są puste, "
        "nie zerowe. Zmienna istnieje od swojego poziomu terytorialnego w górę: zmienne "
        "powiatowe pochodzą z jednostki powiatu (miasto na prawach powiatu).",
        "Data from the Statistics Poland BDL API (aggregate 'total'). Values BDL flags as "
        "missing are empty, never zero.",
    ]
    legend = _attribute_legend(rows)
    if legend:
        methodology += ["Symbole w kolumnie flag / flag symbols:", *[f"* {x}" for x in legend]]
    if units:
        methodology.append("Jednostki / units: " + ", ".join(units))
    dataset: dict[str, Any] = {
        "title": f"{topic.title['pl']} (GUS BDL)",
        "notes": "\n".join(lines).strip(),
        "tag_string": ",".join(dict.fromkeys(["GUS", "BDL", "statystyka", *topic.keywords])),
        "owner_org": owner_org,
        "theme": [EU_THEME.format(code) for code in topic.themes],
        "bdom_iso37120_themes": topic.iso37120_themes,
        "bdom_iso37120_indicators": topic.iso37120_indicators,
        "frequency": ANNUAL,
        "spatial_coverage": [{"bdom_teryt": city_teryt, "text": ""}],
        "bdom_source": "gus_bdl",
        "bdom_source_name": "GUS, Bank Danych Lokalnych",
        "bdom_source_url": (
            BDL_VARIABLE_URL.format(id=topic.variables[0].id) if topic.variables else BDL_HOME
        ),
        "license_id": "cc-by",
        "bdom_condition_source": "true",
        "bdom_unit_of_measure": ", ".join(
            dict.fromkeys(v.measure for v in topic.variables if v.measure)
        ),
        "bdom_methodology": "\n\n".join(methodology),
        "bdom_bdl_discontinued": ", ".join(f"{v.id} {v.name}" for v in gone),
    }
    if years:
        dataset["temporal_coverage"] = [{"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}]
        dataset["bdom_reference_period"] = str(years[-1])
    return dataset


def resource_dict(
    topic: Topic,
    rows: Sequence[Mapping[str, Any]],
    updated: Mapping[int, str],
    change_note: str = "",
) -> dict[str, Any]:
    """The CSV resource's metadata (the file itself is ``rows_to_csv``)."""
    dates = [d for d in (_date(updated.get(v.id)) for v in topic.variables) if d]
    years = sorted({int(row["year"]) for row in rows if row["value"] is not None})
    description = (
        "Dane w układzie długim: jeden wiersz to wartość zmiennej dla jednostki i roku. / "
        "Tidy data: one row per unit, variable and year."
    )
    if change_note:
        description += "\n\n" + change_note
    resource = {
        "name": f"{topic.title['pl']} — dane BDL (CSV)",
        "description": description,
        "format": "CSV",
        "language": [POLISH],
        "bdom_columns": column_dictionary(topic),
    }
    if dates:
        resource["bdom_data_updated"] = max(dates)
    if years:
        resource["bdom_reference_period"] = str(years[-1])
    return resource
