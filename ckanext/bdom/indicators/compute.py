"""Yearly indicator series from BDL rows, portal tables and steward entries.

Pure pandas, no CKAN: the plugin reads the inputs from the DataStore and
writes the results back. Every value carries its provenance (datasets,
resources, BDL variables, units, years, flags and the formula); an input that
is missing or flagged as unreliable makes the value missing, with the reason,
never a wrong number. A zero denominator or a unit that cannot be converted
raises :class:`IndicatorError`, which names the indicator.

Territories: a city with powiat rights is one territory with two BDL units,
the gmina (level 6, ``…011``) and the powiat (level 5, ``…000``); both map to
the gmina id, so gmina and powiat variables of the same city combine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

BDL_COLUMNS = ("unit_id", "unit_name", "variable_id", "year", "value", "measure_unit", "flag")
RESULT_COLUMNS = (
    "indicator_id",
    "unit_id",
    "unit_name",
    "unit_role",
    "year",
    "value",
    "unit",
    "status",
    "reason",
    "note",
    "formula",
    "sources",
)
OK, MISSING = "ok", "missing"

# BDL attribute symbols (harvesters/bdl/mapping.py ATTRIBUTES): values we do not
# compute with, and values we use with a note
REJECTED_FLAGS = {
    "k": ("agregat może być niepełny", "aggregate may be incomplete"),
    "K": ("agregat może być niepełny", "aggregate may be incomplete"),
    "a": ("wartość poniżej dokładności prezentacji", "below the presentation precision"),
    "A": ("wartość poniżej dokładności prezentacji", "below the presentation precision"),
    "p": ("powiat łącznie z miastem na prawach powiatu", "powiat with its city"),
    "x": ("brak informacji lub tajemnica statystyczna", "no information or confidential"),
    "X": ("brak informacji lub tajemnica statystyczna", "no information or confidential"),
    "-": ("brak informacji", "no information"),
    "n": ("dana jeszcze niedostępna", "not yet available"),
    "brak": ("brak danych", "no data"),
}
NOTED_FLAGS = {
    "s": "dana szacunkowa (wstępna)",
    "M": "zmiana metodologiczna (przerwa w szeregu)",
    "v": "dane o niskiej precyzji",
}

# measure units that mean the same, and conversions: (from, to) → factor
_ALIASES = {
    "osoba": "osoba",
    "osób": "osoba",
    "osoby": "osoba",
    "os.": "osoba",
    "proc.": "%",
    "promil": "‰",
    "m2": "m²",
    "km2": "km²",
    "mieszkania": "mieszk.",
    "tony": "t",
    "tona": "t",
}
UNKNOWN_MEASURES = {"", "-", "—"}
CONVERSIONS = {
    ("tys. zł", "zł"): 1_000,
    ("mln zł", "zł"): 1_000_000,
    ("mln zł", "tys. zł"): 1_000,
    ("zł", "tys. zł"): 0.001,
    ("tys. osób", "osoba"): 1_000,
    ("kg", "t"): 0.001,
    ("t", "kg"): 1_000,
    ("m", "km"): 0.001,
    ("km", "m"): 1_000,
    ("m²", "ha"): 0.0001,
    ("ha", "km²"): 0.01,
    ("km²", "ha"): 100,
    ("m³", "l"): 1_000,
    ("dam³", "m³"): 1_000,
}


class IndicatorError(ValueError):
    """An indicator cannot be computed from its inputs as defined."""

    def __init__(self, indicator_id: str, message: str) -> None:
        super().__init__(f"{indicator_id}: {message}")
        self.indicator_id = indicator_id


@dataclass
class Table:
    """A portal dataset's DataStore table and where it came from."""

    frame: pd.DataFrame
    dataset: str
    resource_id: str = ""
    title: str = ""
    measures: dict[str, str] = field(default_factory=dict)  # column → unit, if declared


@dataclass
class Inputs:
    city_unit: str
    city_name: str = ""
    bdl: pd.DataFrame | None = None  # BDL_COLUMNS (+ dataset, resource_id)
    tables: dict[str, list[Table]] = field(default_factory=dict)  # dataset name → its tables
    entries: pd.DataFrame | None = None  # indicator, year, value, source, note (+ provenance)
    _groups: dict[str, dict[Any, pd.DataFrame]] = field(default_factory=dict, repr=False)

    def bdl_of(self, variable_id: int) -> pd.DataFrame:
        """The BDL rows of one variable (grouped once for all indicators)."""
        if "bdl" not in self._groups:
            frame = self.bdl if self.bdl is not None else pd.DataFrame(columns=BDL_COLUMNS)
            ids = pd.to_numeric(frame["variable_id"], errors="coerce")
            self._groups["bdl"] = {int(k): g for k, g in frame.groupby(ids) if pd.notna(k)}
        found = self._groups["bdl"].get(int(variable_id))
        return found.copy() if found is not None else pd.DataFrame(columns=BDL_COLUMNS)

    def entries_of(self, *codes: str) -> list[dict[str, Any]]:
        """Steward entries for an indicator (by id or clause), grouped once."""
        if "entries" not in self._groups:
            groups: dict[Any, Any] = {}
            if self.entries is not None and not self.entries.empty:
                for record in self.entries.to_dict("records"):
                    groups.setdefault(str(record.get("indicator")), []).append(record)
            self._groups["entries"] = groups
        return [r for code in codes for r in self._groups["entries"].get(code, [])]


@dataclass
class Outcome:
    indicator_id: str
    rows: pd.DataFrame
    reason: str = ""  # why there is no series at all


# --- units ----------------------------------------------------------------------


def canonical_measure(measure: Any) -> str:
    text = str(measure or "").strip()
    return _ALIASES.get(text.lower(), _ALIASES.get(text, text))


def conversion(indicator_id: str, found: Any, wanted: Any, what: str) -> float:
    """Factor turning ``found`` into ``wanted``; IndicatorError if impossible."""
    have, want = canonical_measure(found), canonical_measure(wanted)
    if not want or have in UNKNOWN_MEASURES or have == want:
        return 1.0
    factor = CONVERSIONS.get((have, want))
    if factor is None:
        raise IndicatorError(
            indicator_id,
            f"niezgodne jednostki: {what} ma jednostkę „{have}”, wzór oczekuje „{want}” / "
            f"unit mismatch: {what} is in '{have}', the formula expects '{want}'",
        )
    return factor


# --- territories ----------------------------------------------------------------


def unit_level(unit_id: str) -> int:
    """Territorial level of a 12-character BDL unit id (0 Poland … 6 gmina)."""
    for level, tail in ((0, 12), (1, 10), (2, 8), (3, 7), (4, 5), (5, 3)):
        if unit_id[-tail:] == "0" * tail:
            return level
    return 6


def territory(unit_id: str) -> str:
    """The gmina id of a city with powiat rights (powiat code 61+) for its
    powiat unit; any other unit is its own territory."""
    unit_id = str(unit_id).zfill(12)
    if unit_level(unit_id) == 5 and unit_id[7:9].isdigit() and int(unit_id[7:9]) >= 61:
        return unit_id[:9] + "011"
    return unit_id


def unit_role(unit_id: str, city_unit: str) -> str:
    if unit_id == territory(city_unit):
        return "city"
    return {0: "country", 2: "voivodeship"}.get(unit_level(unit_id), "comparison")


# --- terms ----------------------------------------------------------------------


def term_label(term: dict[str, Any], lang: str = "pl") -> str:
    label = (term.get("label") or {}).get(lang, "")
    if "bdl_variable" in term:
        return f"{label} [BDL {term['bdl_variable']}]".strip()
    return f"{label} [{term['dataset']}: {term['column']}]".strip()


def _empty_term() -> pd.DataFrame:
    return pd.DataFrame(columns=["territory", "unit_name", "year", "value", "missing", "source"])


def _bdl_term(indicator_id: str, term: dict[str, Any], inputs: Inputs) -> pd.DataFrame:
    var_id = int(term["bdl_variable"])
    rows = inputs.bdl_of(var_id)
    if rows.empty:
        return _empty_term()
    rows["unit_id"] = rows["unit_id"].astype(str).str.zfill(12)
    rows["territory"] = rows["unit_id"].map(territory)
    rows["year"] = pd.to_numeric(rows["year"], errors="coerce").astype("Int64")
    # one row per territory and year: the unit at the variable's own level first
    rows["_rank"] = (rows["unit_id"].map(unit_level) != term.get("level")).astype(int)
    rows = rows.sort_values(["_rank"]).drop_duplicates(["territory", "year"])
    what = term_label(term)
    out = []
    for row in rows.itertuples(index=False):
        factor = conversion(indicator_id, row.measure_unit, term.get("measure"), what)
        value, missing, note = _bdl_value(row, factor, what)
        source = {
            "source": "bdl",
            "variable_id": var_id,
            "unit_id": row.unit_id,
            "year": int(row.year),
            "value": None if value is None else value,
            "flag": row.flag or "",
            "dataset": getattr(row, "dataset", "") or "",
            "resource_id": getattr(row, "resource_id", "") or "",
        }
        if factor != 1:
            source["conversion"] = f"{canonical_measure(row.measure_unit)} × {factor:g}"
        if note:
            source["note"] = note
        out.append((row.territory, row.unit_name, int(row.year), value, missing, source))
    return pd.DataFrame(out, columns=_empty_term().columns)


def _number(raw: Any) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _bdl_value(row: Any, factor: float, what: str) -> tuple[float | None, str, str]:
    """(value, why it is missing, note) of one BDL row."""
    flag = str(row.flag or "").strip()
    number = _number(row.value)
    if number is None:
        return None, f"{what} {row.year}: brak wartości w BDL", ""
    if flag in REJECTED_FLAGS:
        polish, _ = REJECTED_FLAGS[flag]
        return None, f"{what} {row.year}: wartość oznaczona w BDL „{flag}” ({polish})", ""
    return number * factor, "", NOTED_FLAGS.get(flag, "")


def _table_term(indicator_id: str, term: dict[str, Any], inputs: Inputs) -> pd.DataFrame:
    column, year_column = term["column"], term["year_column"]
    tables = [
        t
        for t in inputs.tables.get(term["dataset"], [])
        if column in t.frame.columns and year_column in t.frame.columns
    ]
    if not tables:
        return _empty_term()
    table = tables[0]
    what = term_label(term)
    factor = conversion(indicator_id, table.measures.get(column), term.get("measure"), what)
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(table.frame[year_column], errors="coerce"),
            "raw": table.frame[column],
        }
    ).dropna(subset=["year"])
    out = []
    for year, group in frame.groupby("year", sort=True):
        numbers = [_number(v) for v in group["raw"]]
        missing = (
            "" if all(n is not None for n in numbers) else f"{what} {int(year)}: brak wartości"
        )
        value = None if missing else sum(numbers) * factor  # type: ignore[arg-type]
        source = {
            "source": "datastore",
            "dataset": table.dataset,
            "resource_id": table.resource_id,
            "column": column,
            "year": int(year),
            "value": value,
        }
        if factor != 1:
            source["conversion"] = f"× {factor:g}"
        out.append(
            (territory(inputs.city_unit), inputs.city_name, int(year), value, missing, source)
        )
    return pd.DataFrame(out, columns=_empty_term().columns)


def term_frame(indicator_id: str, term: dict[str, Any], inputs: Inputs) -> pd.DataFrame:
    if "bdl_variable" in term:
        return _bdl_term(indicator_id, term, inputs)
    return _table_term(indicator_id, term, inputs)


# --- formulas -------------------------------------------------------------------


def describe(indicator: dict[str, Any], lang: str = "pl") -> str:
    """The formula in words, e.g. ``100 × Radni: kobiety [BDL 8] / Radni [BDL 6]``."""
    compute = indicator.get("compute") or {}
    if compute.get("kind") != "formula":
        return ""
    numerator = " + ".join(term_label(t, lang) for t in compute["numerator"])
    if compute.get("change"):
        x = f"({numerator})"
        return f"100 × ({x}[t] − {x}[t−1]) / {x}[t−1]"
    scale = compute.get("scale", 1)
    text = f"{scale:g} × " if scale != 1 else ""
    text += f"({numerator})" if len(compute["numerator"]) > 1 else numerator
    if compute.get("denominator"):
        denominator = " + ".join(term_label(t, lang) for t in compute["denominator"])
        text += f" / ({denominator})" if len(compute["denominator"]) > 1 else f" / {denominator}"
    return text


def _missing_reason(term: dict[str, Any], inputs: Inputs) -> str:
    if "bdl_variable" in term:
        return (
            f"brak danych zmiennej BDL {term['bdl_variable']} w opublikowanych zbiorach BDL / "
            f"no data of BDL variable {term['bdl_variable']} in the published BDL datasets"
        )
    return (
        f"brak opublikowanego zbioru „{term['dataset']}” z kolumnami {term['year_column']}, "
        f"{term['column']} w DataStore / no published dataset '{term['dataset']}' with "
        f"these columns in the DataStore"
    )


def _formula(indicator: dict[str, Any], inputs: Inputs) -> Outcome:
    ident = indicator["id"]
    compute = indicator["compute"]
    numerator = [(t, term_frame(ident, t, inputs)) for t in compute["numerator"]]
    denominator = [(t, term_frame(ident, t, inputs)) for t in compute.get("denominator") or []]
    first_term, first = numerator[0]
    if first.empty:
        return Outcome(ident, _empty_rows(), _missing_reason(first_term, inputs))
    domain = first[["territory", "year", "unit_name"]].drop_duplicates(["territory", "year"])
    keyed = [
        (t, {(r["territory"], r["year"]): r for r in f.to_dict("records")})
        for t, f in numerator + denominator
    ]
    scale = float(compute.get("scale", 1))
    formula = describe(indicator)
    rows = []
    for item in domain.itertuples(index=False):
        key = (item.territory, item.year)
        values, reasons, notes, sources = [], [], [], []
        for term, frame in keyed:
            found = frame.get(key)
            if found is None:
                reasons.append(f"{term_label(term)} {item.year}: brak wartości")
                values.append(None)
                continue
            values.append(found["value"])
            if found["missing"]:
                reasons.append(found["missing"])
            sources.append(found["source"])
            if found["source"].get("note"):
                notes.append(f"{term_label(term)}: {found['source']['note']}")
        value = None
        if not reasons:
            value = _apply(ident, key, values, len(numerator), scale)
        rows.append(_row(ident, item, value, reasons, notes, formula, sources, inputs.city_unit))
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    if compute.get("change"):
        frame = _change(ident, frame, formula)
    return Outcome(ident, frame)


def _apply(ident: str, key: tuple, values: list, n_numerator: int, scale: float) -> float:
    numerator = sum(values[:n_numerator])
    if len(values) == n_numerator:
        return scale * numerator
    denominator = sum(values[n_numerator:])
    if denominator == 0:
        raise IndicatorError(
            ident,
            f"mianownik równy zero (jednostka {key[0]}, rok {key[1]}) / "
            f"zero denominator (unit {key[0]}, year {key[1]})",
        )
    return scale * numerator / denominator


def _change(ident: str, frame: pd.DataFrame, formula: str) -> pd.DataFrame:
    """100 × (x[t] − x[t−1]) / x[t−1] of the summed numerator, per unit."""
    out = []
    for _, group in frame.sort_values("year").groupby("unit_id", sort=False):
        by_year = {int(r.year): r for r in group.itertuples(index=False)}
        for year, row in by_year.items():
            before = by_year.get(year - 1)
            if before is None:
                continue
            record = row._asdict()
            record["sources"] = json.dumps(
                json.loads(before.sources) + json.loads(row.sources), ensure_ascii=False
            )
            record["formula"] = formula
            if row.status != OK or before.status != OK:
                record.update(
                    value=None,
                    status=MISSING,
                    reason="; ".join(r for r in (before.reason, row.reason) if r),
                )
            elif before.value == 0:
                raise IndicatorError(
                    ident, f"wartość bazowa równa zero (rok {year - 1}) / zero base ({year - 1})"
                )
            else:
                record["value"] = 100 * (row.value - before.value) / before.value
            out.append(record)
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def _row(ident, item, value, reasons, notes, formula, sources, city_unit) -> dict[str, Any]:
    return {
        "indicator_id": ident,
        "unit_id": item.territory,
        "unit_name": item.unit_name,
        "unit_role": unit_role(item.territory, city_unit),
        "year": int(item.year),
        "value": value,
        "unit": "",
        "status": OK if value is not None else MISSING,
        "reason": "; ".join(reasons),
        "note": "; ".join(notes),
        "formula": formula,
        "sources": json.dumps(sources, ensure_ascii=False),
    }


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=RESULT_COLUMNS)


def _steward(indicator: dict[str, Any], inputs: Inputs) -> Outcome:
    ident = indicator["id"]
    requires = indicator["compute"]["requires"]["pl"]
    mine = inputs.entries_of(ident, indicator["clause"])
    if not mine:
        return Outcome(ident, _empty_rows(), requires)
    city = territory(inputs.city_unit)
    rows = []
    for entry in mine:
        year = _number(entry.get("year"))
        if year is None:
            continue
        value = _number(entry.get("value"))
        source = {
            "source": "steward",
            "dataset": entry.get("dataset") or "",
            "resource_id": entry.get("resource_id") or "",
            "year": int(year),
            "value": value,
            "entered_source": str(entry.get("source") or ""),
        }
        rows.append(
            {
                "indicator_id": ident,
                "unit_id": city,
                "unit_name": inputs.city_name,
                "unit_role": "city",
                "year": int(year),
                "value": value,
                "unit": "",
                "status": OK if value is not None else MISSING,
                "reason": "" if value is not None else f"{int(year)}: wartość nieliczbowa",
                "note": str(entry.get("note") or ""),
                "formula": "wartość wprowadzona przez gestora / entered by a steward",
                "sources": json.dumps([source], ensure_ascii=False),
            }
        )
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS).drop_duplicates(["year"], keep="last")
    return Outcome(ident, frame)


def compute_indicator(indicator: dict[str, Any], inputs: Inputs) -> Outcome:
    """The yearly series of one indicator for every unit its inputs cover."""
    kind = (indicator.get("compute") or {}).get("kind")
    if kind == "formula":
        outcome = _formula(indicator, inputs)
    elif kind == "steward":
        outcome = _steward(indicator, inputs)
    else:
        outcome = Outcome(indicator["id"], _empty_rows(), indicator["compute"]["reason"]["pl"])
    if not outcome.rows.empty:
        outcome.rows["unit"] = indicator["unit"]["pl"]
        outcome.rows = outcome.rows.sort_values(["unit_role", "unit_id", "year"]).reset_index(
            drop=True
        )
    return outcome


@dataclass
class Results:
    rows: pd.DataFrame
    outcomes: dict[str, Outcome]
    errors: dict[str, str]


def compute_all(
    indicators: Iterable[dict[str, Any]],
    inputs: Inputs,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> Results:
    """Every indicator; one that raises IndicatorError is reported, the rest go on."""
    outcomes: dict[str, Outcome] = {}
    errors: dict[str, str] = {}
    for indicator in indicators:
        try:
            outcomes[indicator["id"]] = compute_indicator(indicator, inputs)
        except IndicatorError as error:
            errors[indicator["id"]] = str(error)
        if progress:
            progress(indicator)
    frames = [o.rows for o in outcomes.values() if not o.rows.empty]
    rows = pd.concat(frames, ignore_index=True) if frames else _empty_rows()
    return Results(rows, outcomes, errors)
