"""The yearly ISO 37120 report for the city's management: every indicator
with its value, unit, source and status, and the indicators still missing
with who could supply them. Rows as plain dicts; CSV and XLSX writers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from ckanext.bdom.indicators import catalogue as cat_module

COLUMNS = (
    ("clause", "Punkt normy / clause"),
    ("name", "Wskaźnik / indicator"),
    ("type", "Typ / type"),
    ("unit", "Jednostka / unit"),
    ("year", "Rok / year"),
    ("value", "Wartość / value"),
    ("status", "Stan / status"),
    ("source", "Źródło / source"),
    ("remarks", "Uwagi / remarks"),
    ("confidence", "Pewność wiersza katalogu / confidence"),
)
SOURCE_NAMES = {
    "formula": "obliczony z danych portalu",
    "steward": "wartość od gestora",
    "none": "brak źródła",
}


def _who(indicator: dict[str, Any]) -> str:
    return cat_module.supplier(indicator) or (
        "dane z BDL lub zbiorów portalu (brak opublikowanych wartości)"
    )


def rows(
    catalogue: cat_module.Catalogue,
    city_values: Iterable[dict[str, Any]],
    statuses: dict[str, dict[str, Any]],
    year: int | None = None,
) -> list[dict[str, Any]]:
    """One row per indicator: the city value of ``year`` (default: the latest)."""
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for row in city_values:
        if row.get("status") == "ok" and row.get("value") is not None:
            by_indicator.setdefault(row["indicator_id"], []).append(row)
    report = []
    for indicator in catalogue.indicators:
        found = sorted(by_indicator.get(indicator["id"], []), key=lambda r: r["year"])
        if year is not None:
            found = [r for r in found if int(r["year"]) == year]
        chosen = found[-1] if found else None
        datasets = sorted(
            {s.get("dataset") for s in (chosen or {}).get("sources") or []} - {None, ""}
        )
        deviation = (indicator["compute"].get("method_deviation") or {}).get("pl", "")
        status = statuses.get(indicator["id"], {})
        report.append(
            {
                "id": indicator["id"],
                "clause": indicator["clause"],
                "name": indicator["name"]["pl"],
                "type": indicator["type"],
                "unit": indicator["unit"]["pl"],
                "year": int(chosen["year"]) if chosen else None,
                "value": float(chosen["value"]) if chosen else None,
                "status": "jest wartość" if chosen else "brak wartości",
                "source": ", ".join(datasets) or SOURCE_NAMES[indicator["compute"]["kind"]],
                "remarks": deviation if chosen else (status.get("reason") or _who(indicator)),
                "confidence": indicator["confidence"],
                "who": "" if chosen else _who(indicator),
            }
        )
    return report


def to_csv(report: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in report:
        writer.writerow(["" if row[key] is None else row[key] for key, _ in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(report: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ISO 37120"
    sheet.append([title])
    sheet.append([label for _, label in COLUMNS])
    for row in report:
        sheet.append([row[key] for key, _ in COLUMNS])
    missing = workbook.create_sheet("Brakujące - missing")
    missing.append(["Punkt normy / clause", "Wskaźnik / indicator", "Kto może dostarczyć / who"])
    for row in report:
        if row["value"] is None:
            missing.append([row["clause"], row["name"], row["who"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
