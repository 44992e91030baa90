"""Collection forms generated from a column dictionary (pure: no CKAN).

The forms follow ``columns.py`` (headers are the dictionary's names, the year
column is ``year_column``). An XLSX workbook: a data sheet with a header row,
notes with description and unit, drop-down lists, one row block per requested
year, instructions in Polish and English; and the same as a CSV that Polish
Excel opens as it is: UTF-8 with a BOM, ``;`` between fields, CRLF line ends.

Every text written to a spreadsheet is safe against formula injection: in
the XLSX it is a string cell with Excel's quote prefix, in the CSV it gets a
leading apostrophe when it starts with ``= + - @``, a tab or a carriage return.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ckanext.bdom.collect.columns import Column, year_column
from ckanext.bdom.lib.safe_csv import FORMULA_STARTS, excel_csv

YES_NO = ("tak", "nie")
DATA_SHEET = "Dane"
LISTS_SHEET = "Listy"
COLUMNS_SHEET = "Kolumny"
GUIDE_SHEET = "Instrukcja"
MAX_BLOCK_ROWS = 500  # rows of one year's block (all combinations of key values)
EMPTY_ROWS = 20  # rows left for data when no year is asked for

# Excel's check of typed numbers (a warning the user may override)
NUMBER_CHECKS = {
    "integer": (
        "whole",
        "-2147483648",
        "2147483647",
        "Wpisz liczbę całkowitą. / Enter a whole number.",
    ),
    "decimal": ("decimal", "-1E+300", "1E+300", "Wpisz liczbę. / Enter a number."),
}
TYPE_NAMES = {
    "text": ("tekst", "text"),
    "integer": ("liczba całkowita", "integer"),
    "decimal": ("liczba dziesiętna", "decimal"),
    "date": ("data (RRRR-MM-DD)", "date (YYYY-MM-DD)"),
    "boolean": ("tak/nie", "yes/no"),
}

GUIDE = (
    ("Jak wypełnić formularz", True),
    ("1. Wpisz dane w arkuszu „Dane”, jeden wiersz na jedną obserwację.", False),
    ("2. Nie zmieniaj nazw kolumn w pierwszym wierszu ani ich kolejności.", False),
    ("3. Kolumna roku jest już wypełniona dla każdego roku, o który prosimy.", False),
    ("4. Wartości z listy wybierz z listy rozwijanej; tak/nie wpisz jako „tak” albo „nie”.", False),
    ("5. Liczby wpisuj bez jednostek; część dziesiętną oddziel przecinkiem.", False),
    ("6. Daty wpisuj jako RRRR-MM-DD (np. 2024-12-31) lub DD.MM.RRRR.", False),
    (
        "7. Brak danych: zostaw puste albo wpisz znak GUS („-” zjawisko nie wystąpiło, "
        "„.” brak informacji, „x” wypełnienie niemożliwe).",
        False,
    ),
    ("8. Opis kolumn, jednostki i dozwolone wartości są w arkuszu „Kolumny”.", False),
    ("9. Zapisz plik i prześlij go na stronie przekazania danych w portalu.", False),
    ("", False),
    ("How to fill in the form", True),
    ("1. Enter the data on the sheet “Dane”, one row per observation.", False),
    ("2. Do not change the column names in the first row or their order.", False),
    ("3. The year column is already filled in for every year we ask for.", False),
    ("4. Pick listed values from the drop-down list; enter yes/no as “tak” or “nie”.", False),
    ("5. Enter numbers without units; a decimal comma or point is fine.", False),
    ("6. Enter dates as YYYY-MM-DD (e.g. 2024-12-31) or DD.MM.YYYY.", False),
    (
        "7. No data: leave the cell empty or use a Statistics Poland sign (“-” none, "
        "“.” data unavailable, “x” not applicable).",
        False,
    ),
    ("8. Column descriptions, units and allowed values are on the sheet “Kolumny”.", False),
    ("9. Save the file and upload it on the portal's data submission page.", False),
)


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a cell; text is always a plain string, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def choices(column: Column) -> tuple[str, ...]:
    """Values a drop-down list offers for the column (empty: free input)."""
    if column.allowed_values:
        return tuple(column.allowed_values)
    return YES_NO if column.type == "boolean" else ()


def rows(columns: Sequence[Column], years: Iterable[int]) -> list[list[Any]]:
    """Pre-filled rows: one block per year, with every combination of the
    other key columns' allowed values (bounded); empty rows without years."""
    year_col = year_column(columns)
    years = list(years)
    if year_col is None or not years:
        return [[None] * len(columns) for _ in range(EMPTY_ROWS)]
    listed = [c for c in columns if c.key and c is not year_col and c.allowed_values]
    combos = list(
        itertools.islice(itertools.product(*(c.allowed_values for c in listed)), MAX_BLOCK_ROWS)
    )
    result = []
    for year in years:
        for combo in combos:
            values = dict(zip((c.name for c in listed), combo, strict=True))
            values[year_col.name] = year
            result.append([values.get(c.name) for c in columns])
    return result


def _note(column: Column) -> str:
    polish, english = TYPE_NAMES.get(column.type, (column.type, column.type))
    parts = [column.description or column.name, f"Typ / type: {polish} / {english}"]
    if column.unit:
        parts.append(f"Jednostka / unit: {column.unit}")
    if column.required:
        parts.append("Wymagana / required")
    return "\n".join(parts)


def _validation(column: Column, lists: Worksheet, index: int) -> DataValidation | None:
    values = choices(column)
    if values:
        for row, value in enumerate(values, start=2):
            _put(lists, row, index, value)
        _put(lists, 1, index, column.name)
        letter = get_column_letter(index)
        formula = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Wartość spoza listy / Value not in the list",
            error="Wybierz wartość z listy. / Choose a value from the list.",
        )
    number = NUMBER_CHECKS.get(column.type)
    if number is not None:
        kind, low, high, message = number
        return DataValidation(
            type=kind,
            operator="between",
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=message,
        )
    return None


def _data_sheet(wb: Workbook, columns: Sequence[Column], years: Sequence[int]) -> None:
    ws = wb.active
    ws.title = DATA_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    body = rows(columns, years)
    last_row = max(len(body), EMPTY_ROWS) + 1
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = _put(ws, 1, index, column.name)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(_note(column), "BDoM", width=320, height=140)
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(column.name) + 4)
        validation = _validation(column, lists, index)
        if validation is not None:
            validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}")
            ws.add_data_validation(validation)
        if column.type == "date":
            for row in range(2, last_row + 1):
                ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    for row_number, values in enumerate(body, start=2):
        for index, value in enumerate(values, start=1):
            if value is not None:
                _put(ws, row_number, index, value)
    ws.freeze_panes = "A2"


def _columns_sheet(wb: Workbook, columns: Sequence[Column]) -> None:
    ws = wb.create_sheet(COLUMNS_SHEET)
    header = (
        "Kolumna / Column",
        "Typ / Type",
        "Jednostka / Unit",
        "Opis / Description",
        "Dozwolone wartości / Allowed values",
        "Wymagana / Required",
        "Klucz / Key",
    )
    for index, title in enumerate(header, start=1):
        _put(ws, 1, index, title).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(index)].width = 24
    for row, column in enumerate(columns, start=2):
        polish, english = TYPE_NAMES.get(column.type, (column.type, column.type))
        values = (
            column.name,
            f"{polish} / {english}",
            column.unit or "",
            column.description or "",
            ", ".join(choices(column)),
            "tak / yes" if column.required else "nie / no",
            "tak / yes" if column.key else "nie / no",
        )
        for index, value in enumerate(values, start=1):
            _put(ws, row, index, value)


def _guide_sheet(wb: Workbook, title: str, years: Sequence[int], due: str) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 110
    lines: list[tuple[str, bool]] = [(title, True)]
    if years:
        listed = ", ".join(str(year) for year in years)
        lines.append((f"Lata / years: {listed}", False))
    if due:
        lines.append((f"Termin przekazania / due by: {due}", False))
    lines.append(("", False))
    for row, (text, bold) in enumerate([*lines, *GUIDE], start=1):
        cell = _put(ws, row, 1, text)
        if bold:
            cell.font = Font(bold=True, size=12)


def xlsx_form(
    columns: Sequence[Column], years: Sequence[int] = (), title: str = "", due: str = ""
) -> bytes:
    """The collection form as an XLSX workbook."""
    wb = Workbook()
    _data_sheet(wb, columns, years)
    _columns_sheet(wb, columns)
    _guide_sheet(wb, title, years, due)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_form(columns: Sequence[Column], years: Sequence[int] = ()) -> bytes:
    """The collection form as a CSV file for Polish Excel (UTF-8 with BOM, ``;``)."""
    return excel_csv([c.name for c in columns], rows(columns, years))
