"""Validation and normalisation of a steward's file (pure Python + pandas).

``validate_file`` reads a CSV or XLSX as Polish offices export them, says
what it detected (format, encoding, separator, decimal mark, thousands
separator, header row, sheet), checks every row against the column
dictionary and, when there is no error, writes the normalised UTF-8 CSV
(comma separator, dot decimal, ISO dates, ``true``/``false``, empty cells for
missing values and the flag column ``znak_gus`` described in ``columns``).

Rules:

* Header: among the first rows, the one whose cells match most dictionary
  names (letter case, diacritics, spacing and a unit in brackets ignored).
  Rows above it are titles and are skipped.
* Units: a unit in brackets in the header (``Ludność [osoby]``) or a row of
  units right under the header must match the dictionary's unit (letter
  case, spaces and dots ignored); a different unit is an error, because the
  values would be off by a factor (``tys. zł`` against ``zł``).
* Rows: blank rows are skipped; a row whose text cell starts with
  ``Razem``, ``Ogółem``, ``Suma``, ``Łącznie`` or ``Total`` is a totals row
  and is dropped with a warning; rows below the data with at most one
  filled cell are notes and are dropped with a warning.
* Row numbers are those the steward sees: the line of the CSV file (a
  quoted value spanning lines counts as the lines it spans) or the row of
  the sheet.
* Statistics Poland signs (``-``, ``.``, ``x``) stand for a missing value:
  the cell becomes empty and ``znak_gus`` says which sign stood where.
* Large files stream: the CSV is read in blocks of a few megabytes,
  duplicate keys are found from 8-byte hashes spilled to temporary files, so
  memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import decimal
import functools
import io
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from ckanext.bdom.collect import blocks
from ckanext.bdom.collect import columns as dictionary
from ckanext.bdom.collect.columns import Column

log = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"
MAX_PER_CODE = 50  # problems reported per code; the rest are counted in ``omitted``
SAMPLE_BYTES = 1 << 20
BLOCK_BYTES = 8 << 20
XLSX_CHUNK_ROWS = 20_000
HEADER_SCAN_ROWS = 30
SPILL_KEYS = 2_000_000  # key hashes kept in memory before spilling to disk
KEY_BUCKETS = 64
SEPARATORS = (";", "\t", ",", "|")
SEPARATOR_NAMES = {
    ";": ("średnik", "semicolon"),
    ",": ("przecinek", "comma"),
    "\t": ("tabulator", "tab"),
    "|": ("kreska pionowa", "vertical bar"),
}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1250": "Windows-1250",
    "iso-8859-2": "ISO-8859-2",
}
THOUSANDS_NAMES = {
    " ": ("spacja", "space"),
    "\u00a0": ("twarda spacja", "non-breaking space"),
    "\u202f": ("wąska twarda spacja", "narrow non-breaking space"),
    "\u2009": ("wąska spacja", "thin space"),
    "'": ("apostrof", "apostrophe"),
    ".": ("kropka", "dot"),
    ",": ("przecinek", "comma"),
}
_STRINGS = np.dtypes.StringDType()
_STATS_ENOUGH = 10_000  # numbers seen before the decimal mark is taken as known
LEARN_ROWS = 5_000  # rows of the first CSV block the decimal mark is learnt from
_NUMBER_TABLE = str.maketrans(
    {**{c: None for c in blocks.THOUSANDS}, **{c: "-" for c in blocks.MINUSES}}
)
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_SCIENTIFIC = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d{1,3}")  # Excel's 1,5E+07
_GROUPED_DOT = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_GROUPED_COMMA = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACED_GROUP = re.compile(r"\d[ \u00a0\u202f\u2009\u2007']\d{3}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_PL_DATE = re.compile(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_DOT_ISO_DATE = re.compile(r"(\d{4})[./](\d{1,2})[./](\d{1,2})")
_TOTALS = re.compile(r"(?:razem|og[oó]łem|ogolem|suma|łącznie|lacznie|total)\b", re.IGNORECASE)
_SIGNS = {"-": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", ".": ".", "x": "x", "X": "x"}
_SIGN_BYTES = max(len(sign.encode("utf-8")) for sign in _SIGNS)
_TRUE = {"tak", "t", "true", "yes", "y", "1", "prawda"}
_FALSE = {"nie", "n", "false", "no", "0", "fałsz", "falsz"}
_POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
_UTF8 = ("utf-8", "utf-8-sig")
_UTF8_POLISH = re.compile(rb"(?:\xc3\xb3|\xc3\x93|[\xc4\xc5][\x80-\xbf])")  # ó Ó ą ć ę ł ń ś ź ż…


# --- messages -------------------------------------------------------------

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "empty_file": (
        "Plik jest pusty.",
        "The file is empty.",
        "Zapisz w pliku wiersz nagłówka i dane, a potem prześlij go ponownie.",
        "Save the header row and the data in the file, then upload it again.",
    ),
    "no_rows": (
        "Plik ma wiersz nagłówka, ale nie ma w nim danych.",
        "The file has a header row but no data.",
        "Wpisz dane pod nagłówkiem, po jednym wierszu na obserwację.",
        "Enter the data under the header, one row per observation.",
    ),
    "not_tabular": (
        "To nie jest arkusz ani plik CSV, tylko {what_pl}.",
        "This is not a spreadsheet or a CSV file but {what_en}.",
        "Prześlij wypełniony formularz XLSX albo plik CSV zapisany z Excela.",
        "Upload the filled XLSX form or a CSV file saved from Excel.",
    ),
    "old_excel": (
        "To plik Excela w starym formacie XLS, którego portal nie czyta.",
        "This is an Excel file in the old XLS format, which the portal does not read.",
        "Otwórz go w Excelu i zapisz jako „Skoroszyt programu Excel (*.xlsx)” albo "
        "„CSV (rozdzielany przecinkami)”.",
        "Open it in Excel and save it as “Excel Workbook (*.xlsx)” or “CSV (Comma delimited)”.",
    ),
    "encoding": (
        "Części pliku nie da się odczytać w kodowaniu {encoding}: plik łączy różne kodowania.",
        "Part of the file cannot be read as {encoding}: the file mixes encodings.",
        "Zapisz cały plik w jednym kodowaniu, najlepiej w Excelu jako „CSV UTF-8”.",
        "Save the whole file in one encoding, best from Excel as “CSV UTF-8”.",
    ),
    "unreadable": (
        "Nie udało się odczytać pliku: {detail_pl}.",
        "The file could not be read: {detail_en}.",
        "Zapisz plik ponownie z Excela (XLSX albo CSV) i prześlij go jeszcze raz.",
        "Save the file again from Excel (XLSX or CSV) and upload it once more.",
    ),
    "no_header": (
        "Nie znaleziono wiersza nagłówka z nazwami kolumn ({expected}).",
        "No header row with the column names ({expected}) was found.",
        "Wpisz nazwy kolumn w jednym wierszu nad danymi, tak jak w formularzu: {expected}.",
        "Put the column names in one row above the data, as in the form: {expected}.",
    ),
    "missing_column": (
        "Brak wymaganej kolumny „{column}”.",
        "The required column “{column}” is missing.",
        "Dodaj kolumnę „{column}” do nagłówka i wypełnij ją.",
        "Add the column “{column}” to the header and fill it in.",
    ),
    "missing_optional_column": (
        "Brak kolumny „{column}”; w opublikowanych danych będzie pusta.",
        "The column “{column}” is missing; it will be empty in the published data.",
        "Jeśli masz te dane, dodaj kolumnę „{column}”.",
        "If you have this data, add the column “{column}”.",
    ),
    "duplicate_column": (
        "Kolumna „{column}” występuje w nagłówku więcej niż raz.",
        "The column “{column}” appears in the header more than once.",
        "Zostaw jedną kolumnę o tej nazwie.",
        "Keep one column of that name.",
    ),
    "unknown_column": (
        "Kolumny „{column}” nie ma w opisie kolumn zbioru; została pominięta.",
        "The column “{column}” is not in the dataset's column dictionary; it was left out.",
        "Usuń ją albo poproś pełnomocnika o dodanie jej do opisu kolumn.",
        "Remove it or ask the data officer to add it to the column dictionary.",
    ),
    "unit_mismatch": (
        "Jednostka „{found}” kolumny „{column}” różni się od jednostki z opisu kolumn („{unit}”).",
        "The unit “{found}” of the column “{column}” differs from the dictionary's unit "
        "(“{unit}”).",
        "Przelicz wartości na „{unit}” i popraw jednostkę w nagłówku.",
        "Convert the values to “{unit}” and correct the unit in the header.",
    ),
    "ragged_row": (
        "Wiersz ma {found} pól zamiast {expected}.",
        "The row has {found} fields instead of {expected}.",
        "Sprawdź separatory: tekst zawierający „{separator}” ujmij w cudzysłów albo zapisz "
        "plik ponownie z Excela.",
        "Check the separators: put text containing “{separator}” in quotes or save the "
        "file again from Excel.",
    ),
    "required_missing": (
        "Brak wartości w wymaganej kolumnie.",
        "A value is missing in a required column.",
        "Wpisz wartość albo znak GUS: „-” zjawisko nie wystąpiło, „.” brak informacji, "
        "„x” wypełnienie niemożliwe.",
        "Enter a value or a Statistics Poland sign: “-” none, “.” data not available, "
        "“x” not applicable.",
    ),
    "not_integer": (
        "„{value}” nie jest liczbą całkowitą.",
        "“{value}” is not a whole number.",
        "Wpisz liczbę całkowitą bez jednostek, np. 1250 albo 1 250.",
        "Enter a whole number without units, e.g. 1250 or 1 250.",
    ),
    "not_decimal": (
        "„{value}” nie jest liczbą.",
        "“{value}” is not a number.",
        "Wpisz liczbę bez jednostek, np. 12,5 albo 1 234,56.",
        "Enter a number without units, e.g. 12,5 or 1 234,56.",
    ),
    "not_date": (
        "„{value}” nie jest poprawną datą.",
        "“{value}” is not a valid date.",
        "Wpisz datę jako DD.MM.RRRR (np. 31.12.2021) albo RRRR-MM-DD (2021-12-31).",
        "Enter the date as DD.MM.YYYY (e.g. 31.12.2021) or YYYY-MM-DD (2021-12-31).",
    ),
    "not_boolean": (
        "„{value}” nie jest odpowiedzią tak/nie.",
        "“{value}” is not a yes/no answer.",
        "Wpisz „tak” albo „nie”.",
        "Enter “tak” (yes) or “nie” (no).",
    ),
    "not_allowed": (
        "„{value}” nie jest dozwoloną wartością tej kolumny.",
        "“{value}” is not an allowed value of this column.",
        "Wybierz jedną z: {allowed}.",
        "Choose one of: {allowed}.",
    ),
    "year_out_of_range": (
        "Rok {value} nie należy do lat, o które prosimy ({years}).",
        "The year {value} is not one of the years asked for ({years}).",
        "Popraw rok albo usuń wiersze z innych lat.",
        "Correct the year or remove the rows of other years.",
    ),
    "year_missing": (
        "Brak danych za rok {value}, o który prosimy.",
        "There is no data for the year {value}, which is asked for.",
        "Dodaj wiersze za rok {value}, jeśli dane są dostępne.",
        "Add rows for {value} if the data is available.",
    ),
    "duplicate_key": (
        "Wiersz powtarza klucz ({keys}) wiersza {first}.",
        "The row repeats the key ({keys}) of row {first}.",
        "Usuń powtórzony wiersz albo popraw wartości w kolumnach {keys}.",
        "Remove the repeated row or correct the values in the columns {keys}.",
    ),
    "totals_row": (
        "Wiersz sumy („{value}”) został pominięty: portal publikuje tylko dane szczegółowe.",
        "The totals row (“{value}”) was left out: the portal publishes detailed data only.",
        "Nic nie trzeba robić; możesz usunąć ten wiersz z pliku.",
        "Nothing to do; you may remove this row from the file.",
    ),
    "notes_ignored": (
        "Pominięto przypisy pod danymi ({rows_pl}).",
        "Notes below the data were left out ({rows_en}).",
        "Jeśli to dane, wypełnij w nich wszystkie kolumny.",
        "If they are data, fill in all their columns.",
    ),
}
WARNINGS = {
    "missing_optional_column",
    "unknown_column",
    "year_missing",
    "totals_row",
    "notes_ignored",
}
UNCLOSED_QUOTE = {
    "detail_pl": "cudzysłów otwarty w tym wierszu nie jest zamknięty",
    "detail_en": "a quote opened in this row is never closed",
}
NOT_TABULAR = {
    "html": ("strona HTML (np. zapisana strona błędu)", "an HTML page (e.g. a saved error page)"),
    "pdf": ("dokument PDF", "a PDF document"),
    "zip": ("archiwum ZIP", "a ZIP archive"),
    "ods": ("arkusz OpenDocument (ODS)", "an OpenDocument spreadsheet (ODS)"),
    "binary": ("plik binarny", "a binary file"),
    "docx": ("dokument Word", "a Word document"),
}


@dataclass
class Problem:
    """One thing wrong with the file, in Polish and English.

    ``row`` is the row number as the steward sees it (the line of a CSV, the
    row of the XLSX sheet), ``None`` for the whole file; ``column`` the
    header's name or ``None``.
    """

    code: str
    message_pl: str
    message_en: str
    fix_pl: str = ""
    fix_en: str = ""
    row: int | None = None
    column: str | None = None
    severity: str = ERROR

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def text(self) -> str:
        """One line in both languages (for the shell)."""
        where = []
        if self.row is not None:
            where.append(f"wiersz/row {self.row}")
        if self.column:
            where.append(f"kolumna/column „{self.column}”")
        prefix = f"[{', '.join(where)}] " if where else ""
        return f"{prefix}{self.message_pl} {self.fix_pl} / {self.message_en} {self.fix_en}".strip()


def problem(
    code: str, *, row: int | None = None, column: str | None = None, **values: Any
) -> Problem:
    """The problem ``code`` with its bilingual message and fix filled in."""
    message_pl, message_en, fix_pl, fix_en = MESSAGES[code]
    values.setdefault("column", column or "")
    return Problem(
        code=code,
        message_pl=message_pl.format(**values),
        message_en=message_en.format(**values),
        fix_pl=fix_pl.format(**values),
        fix_en=fix_en.format(**values),
        row=row,
        column=column,
        severity=WARNING if code in WARNINGS else ERROR,
    )


@dataclass
class Detected:
    """What the validator found out about the file."""

    format: str = ""  # csv | xlsx | "" (not tabular)
    encoding: str = ""  # utf-8, utf-8-sig, utf-16, cp1250, iso-8859-2 ("" for xlsx)
    separator: str = ""  # ; , \t |
    decimal: str = ""  # , or . ("" when no fraction was seen)
    thousands: str = ""  # "" or the character: space, U+00A0, U+202F, . or ,
    header_row: int | None = None  # 1-based
    sheet: str = ""
    units_row: int | None = None
    columns: list[str] = field(default_factory=list)  # the header as found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> tuple[str, str]:
        """What was detected, in Polish and English."""
        pl: list[str] = []
        en: list[str] = []
        if self.format:
            pl.append(f"format {self.format.upper()}")
            en.append(f"format {self.format.upper()}")
        if self.sheet:
            pl.append(f"arkusz „{self.sheet}”")
            en.append(f"sheet “{self.sheet}”")
        if self.encoding:
            name = ENCODING_NAMES.get(self.encoding, self.encoding)
            pl.append(f"kodowanie {name}")
            en.append(f"encoding {name}")
        if self.separator:
            sep_pl, sep_en = SEPARATOR_NAMES.get(self.separator, (self.separator,) * 2)
            pl.append(f"separator: {sep_pl}")
            en.append(f"separator: {sep_en}")
        if self.decimal:
            pl.append("przecinek dziesiętny" if self.decimal == "," else "kropka dziesiętna")
            en.append("decimal comma" if self.decimal == "," else "decimal point")
        if self.thousands:
            th_pl, th_en = THOUSANDS_NAMES.get(self.thousands, (self.thousands,) * 2)
            pl.append(f"separator tysięcy: {th_pl}")
            en.append(f"thousands separator: {th_en}")
        if self.header_row:
            pl.append(f"nagłówek w wierszu {self.header_row}")
            en.append(f"header in row {self.header_row}")
        if self.units_row:
            pl.append(f"jednostki w wierszu {self.units_row}")
            en.append(f"units in row {self.units_row}")
        return ", ".join(pl), ", ".join(en)


# the words of ValidationResult's one-line verdict: Polish, English
SUMMARY = (
    {
        "found": "Wykryto: {}. ",
        "refused": "Plik ma błędy ({}) i nie został przyjęty",
        "valid": "Plik jest poprawny: {} wierszy danych",
        "warnings": "; ostrzeżenia: {}",
        "signs": "; znaki GUS: {}",
    },
    {
        "found": "Detected: {}. ",
        "refused": "The file has errors ({}) and was not accepted",
        "valid": "The file is valid: {} data rows",
        "warnings": "; warnings: {}",
        "signs": "; Statistics Poland signs: {}",
    },
)


@dataclass
class ValidationResult:
    detected: Detected = field(default_factory=Detected)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0  # data rows written (totals rows, notes and blank rows excluded)
    omitted: dict[str, int] = field(default_factory=dict)  # problems left out, per code
    gus_signs: int = 0  # cells where a GUS sign stood for the value
    original_name: str = ""
    _counts: dict[str, int] = field(default_factory=dict, repr=False)
    _errors: int = field(default=0, repr=False)

    def add(self, item: Problem) -> None:
        """Keep ``item`` unless ``MAX_PER_CODE`` of its code are kept already."""
        if item.severity == ERROR:
            self._errors += 1
        if self.wants(item.code):
            self._counts[item.code] = self._counts.get(item.code, 0) + 1
            self.problems.append(item)
        else:
            self.omitted[item.code] = self.omitted.get(item.code, 0) + 1

    def wants(self, code: str) -> bool:
        return self._counts.get(code, 0) < MAX_PER_CODE

    def count_of(self, code: str) -> int:
        return self._counts.get(code, 0)

    def count_omitted(self, code: str, number: int) -> None:
        if number > 0:
            self.omitted[code] = self.omitted.get(code, 0) + number
            if code not in WARNINGS:
                self._errors += number

    @property
    def ok(self) -> bool:
        return self._errors == 0 and not any(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def _counted(self) -> tuple[int, int]:
        errors = sum(1 for p in self.problems if p.severity == ERROR)
        warnings = len(self.problems) - errors
        for code, number in self.omitted.items():
            if code in WARNINGS:
                warnings += number
            else:
                errors += number
        return errors, warnings

    def _summary(self, language: int) -> str:
        """The verdict in one language (0 Polish, 1 English), words from SUMMARY."""
        words = SUMMARY[language]
        errors, warnings = self._counted()
        found = self.detected.describe()[language]
        head = words["found"].format(found) if found else ""
        if errors:
            verdict = words["refused"].format(errors)
        else:
            verdict = words["valid"].format(self.row_count)
        tail = words["warnings"].format(warnings) if warnings else ""
        signs = words["signs"].format(self.gus_signs) if self.gus_signs else ""
        return f"{head}{verdict}{tail}{signs}."

    @property
    def summary_pl(self) -> str:
        return self._summary(0)

    @property
    def summary_en(self) -> str:
        return self._summary(1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "detected": self.detected.to_dict(),
            "row_count": self.row_count,
            "problems": [p.to_dict() for p in self.problems],
            "omitted": dict(self.omitted),
            "gus_signs": self.gus_signs,
            "summary_pl": self.summary_pl,
            "summary_en": self.summary_en,
        }


# --- what kind of file ----------------------------------------------------


def _kind(source: Path, head: bytes) -> tuple[str, str]:
    """``("csv" | "xlsx" | "", reason)`` from the first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(source) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return "", "zip"
        if "xl/workbook.xml" in names:
            return "xlsx", ""
        if "content.xml" in names and "mimetype" in names:
            return "", "ods"
        if "word/document.xml" in names:
            return "", "docx"
        return "", "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "", "old_excel"
    if head.startswith(b"%PDF"):
        return "", "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv", ""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<!--")):
        return "", "html"
    if b"<html" in head[:4096].lower() or b"<body" in head[:4096].lower():
        return "", "html"
    if b"\x00" in head:
        return "", "binary"
    return "csv", ""


@functools.cache
def _decodable(encoding: str) -> bytes:
    """The bytes a one-byte ``encoding`` decodes."""
    return bytes(b for b in range(256) if _decodes(bytes([b]), encoding))


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _guess_encoding(sample: bytes) -> str:
    """UTF-8 if the bytes decode as such, else Windows-1250 or ISO-8859-2
    (whichever gives more Polish letters; Windows-1250 on a tie)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", sample):
        return "cp1250"
    scores = {}
    for name in ("cp1250", "iso-8859-2"):
        text = sample.decode(name, errors="replace")
        scores[name] = sum(text.count(letter) for letter in _POLISH)
    return "iso-8859-2" if scores["iso-8859-2"] > scores["cp1250"] else "cp1250"


# --- header ---------------------------------------------------------------


def _match_score(cells: Sequence[str], names: set[str]) -> int:
    return len({dictionary.plain_name(c) for c in cells if c} & names)


def _find_header(
    rows: Sequence[tuple[int, list[str]]], columns: Sequence[Column]
) -> tuple[int, list[str]] | None:
    """The (row number, cells) of the header among the first rows."""
    names = {dictionary.plain_name(c.name) for c in columns}
    best: tuple[int, list[str]] | None = None
    best_score = 0
    for number, cells in rows:
        score = _match_score(cells, names)
        if score > best_score:
            best, best_score = (number, cells), score
    if best is None and not columns:
        filled = [(sum(1 for c in cells if c), number, cells) for number, cells in rows]
        if filled:
            most = max(f[0] for f in filled)
            best = next((n, c) for f, n, c in filled if f == most and f > 0)
    return best


@dataclass
class _Layout:
    """Where each dictionary column is in the file."""

    width: int  # fields of the header row, empty ones at its end included
    positions: dict[str, int]  # dictionary column name → index in the row
    header: list[str]  # the header up to its last named column


def _layout(
    header: list[str],
    header_row: int,
    columns: Sequence[Column],
    result: ValidationResult,
    width: int = 0,
) -> _Layout:
    by_name = {dictionary.plain_name(c.name): c for c in columns}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        plain = dictionary.plain_name(cell)
        column = by_name.get(plain)
        if column is None:
            if cell.strip():
                result.add(problem("unknown_column", row=header_row, column=cell.strip()))
            continue
        if column.name in positions:
            result.add(problem("duplicate_column", row=header_row, column=cell.strip()))
            continue
        positions[column.name] = index
        _check_unit(dictionary.unit_in(cell), column, header_row, result)
    for column in columns:
        if column.name not in positions:
            code = "missing_column" if column.required or column.key else "missing_optional_column"
            result.add(problem(code, row=header_row, column=column.name))
    return _Layout(width=max(width, len(header)), positions=positions, header=header)


def _check_unit(found: str | None, column: Column, row: int, result: ValidationResult) -> None:
    if not found or not column.unit:
        return
    if dictionary.plain_unit(found) != dictionary.plain_unit(column.unit):
        result.add(
            problem("unit_mismatch", row=row, column=column.name, found=found, unit=column.unit)
        )


def _units_row(cells: list[str], layout: _Layout, columns: Sequence[Column]) -> bool:
    """Is the row under the header a row of units (``[osoby]``, ``zł``…)?"""
    units = 0
    for column in columns:
        index = layout.positions.get(column.name)
        if index is None or index >= len(cells):
            continue
        text = cells[index].strip()
        if not text:
            continue
        bracketed = re.fullmatch(r"[\[(].*[\])]", text) is not None
        same = bool(column.unit) and dictionary.plain_unit(text) == dictionary.plain_unit(
            column.unit
        )
        if bracketed or same:
            units += 1
        elif column.type != "text" or text.lower() not in {"jednostka", "unit", "j.m."}:
            return False
    return units > 0


def _check_units_row(
    cells: list[str], row: int, layout: _Layout, columns: Sequence[Column], result: ValidationResult
) -> None:
    for column in columns:
        index = layout.positions.get(column.name)
        if index is None or index >= len(cells) or not cells[index].strip():
            continue
        text = cells[index].strip().strip("[]()").strip()
        _check_unit(text, column, row, result)


# --- cells ----------------------------------------------------------------


class _Numbers:
    """Decimal mark and thousands separator seen in the file's numbers."""

    def __init__(self) -> None:
        self.decimal_comma = 0
        self.decimal_point = 0
        self.thousands: dict[str, int] = {}

    @property
    def decimal(self) -> str:
        if not self.decimal_comma and not self.decimal_point:
            return ""
        return "," if self.decimal_comma >= self.decimal_point else "."

    @property
    def thousands_mark(self) -> str:
        return max(self.thousands, key=self.thousands.__getitem__) if self.thousands else ""

    def parse(self, raw: str, integer: bool) -> str | None:
        """The number in plain form (``-1234.5``), or None when it is not one."""
        match = _SPACED_GROUP.search(raw)
        if match:
            mark = match.group(0)[1]
            self.thousands[mark] = self.thousands.get(mark, 0) + 1
        text = raw.translate(_NUMBER_TABLE)
        if text.startswith("+"):
            text = text[1:]
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                if not _GROUPED_DOT.fullmatch(text):
                    return None
                self._seen(".", ",")
                text = text.replace(".", "").replace(",", ".")
            else:
                if not _GROUPED_COMMA.fullmatch(text):
                    return None
                self._seen(",", ".")
                text = text.replace(",", "")
        elif "," in text:
            if text.count(",") > 1 or (self.decimal == "." and _GROUPED_COMMA.fullmatch(text)):
                if not _GROUPED_COMMA.fullmatch(text):
                    return None
                self._seen(",", "")
                text = text.replace(",", "")
            else:
                self.decimal_comma += 1
                text = text.replace(",", ".")
        elif "." in text:
            if text.count(".") > 1:
                if not _GROUPED_DOT.fullmatch(text):
                    return None
                self._seen(".", "")
                text = text.replace(".", "")
            else:
                self.decimal_point += 1
        if _SCIENTIFIC.fullmatch(text):
            text = format(decimal.Decimal(text), "f")
        elif not _NUMBER.fullmatch(text):
            return None
        if "." in text:
            whole, fraction = text.split(".", 1)
            fraction = fraction.rstrip("0") if integer else fraction
            if integer and fraction:
                return None
            whole = whole or "0" if whole != "-" else "-0"
            text = f"{whole}.{fraction}" if fraction else whole
        return text

    def _seen(self, thousands: str, decimal: str) -> None:
        self.thousands[thousands] = self.thousands.get(thousands, 0) + 1
        if decimal == ",":
            self.decimal_comma += 1
        elif decimal == ".":
            self.decimal_point += 1


_DATE_PATTERNS = ((_ISO_DATE, (1, 2, 3)), (_PL_DATE, (3, 2, 1)), (_DOT_ISO_DATE, (1, 2, 3)))


def _date(raw: str) -> str | None:
    for pattern, order in (
        (_ISO_DATE, (1, 2, 3)),
        (_PL_DATE, (3, 2, 1)),
        (_DOT_ISO_DATE, (1, 2, 3)),
    ):
        match = pattern.fullmatch(raw)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                return None
    return None


def _boolean(raw: str) -> str | None:
    text = raw.lower()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    return None


_TYPE_ERRORS = {
    "integer": "not_integer",
    "decimal": "not_decimal",
    "date": "not_date",
    "boolean": "not_boolean",
}


class _ColumnCheck:
    """Turns the distinct raw values of one column into normalised values,
    GUS signs and problem codes."""

    def __init__(self, column: Column, numbers: _Numbers, years: set[int] | None) -> None:
        self.column = column
        self.numbers = numbers
        self.years = years
        self.is_year = False
        self.allowed = {v.casefold(): v for v in column.allowed_values}
        self.seen_years: set[int] = set()

    def values(self, uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(normalised value, GUS sign, problem code) of each distinct raw value.

        The usual values (plain numbers, ``31.12.2021`` dates, free text) are
        handled with numpy's string functions; the rest one by one."""
        size = len(uniques)
        normal = np.full(size, "", dtype=object)
        sign = np.full(size, "", dtype=object)
        error = np.full(size, "", dtype=object)
        if not size:
            return normal, sign, error
        if self.column.type in ("integer", "decimal"):
            found, signs, errors = self.plain_numbers(blocks.from_texts(list(uniques)))
            normal = blocks.to_texts(found)
            if signs is not None:
                sign = signs
            if errors is not None:
                error = errors
            if self.allowed:
                filled = (normal != "") & (error == "")
                error[filled & ~_isin(normal, list(self.allowed.values()))] = "not_allowed"
            if self.is_year:
                self._check_years(normal, error)
            return normal, sign, error
        text = np.strings.strip(np.asarray(uniques, dtype=object).astype(_STRINGS))
        empty = text == ""
        if self.column.required:
            error[empty] = "required_missing"
        signs = _isin(text.astype(object), [s for s in _SIGNS if s.casefold() not in self.allowed])
        for index in np.flatnonzero(signs):
            sign[index] = _SIGNS[str(text[index])]
        todo = ~empty & ~signs
        kind = self.column.type
        if kind == "date":
            done = _fast_dates(text, todo, normal)
        elif kind == "text" and not self.allowed:
            normal[todo] = text[todo].astype(object)
            done = todo
        else:
            done = np.zeros(size, dtype=bool)
        if self.allowed and kind == "date":
            done &= _isin(normal, list(self.allowed.values()))
        for index in np.flatnonzero(todo & ~done):
            value, code = self._one(str(text[index]))
            normal[index] = value
            error[index] = code
        if self.is_year:
            self._check_years(normal, error)
        return normal, sign, error

    def plain_numbers(
        self, values: np.ndarray, encoding: str = "utf-8"
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(normalised value, GUS sign, problem code) of each cell of a numeric
        column given as bytes in ``encoding`` (``S`` array): the spaces between
        thousands dropped, minus signs and the decimal comma made plain byte by
        byte; what is not then a plain number is checked one by one. Signs and
        problems are None when there are none."""
        size = len(values)
        marks = _Marks(size)
        empty = blocks.empty(values)
        if self.column.required and empty.any():
            marks.error()[empty] = "required_missing"
        todo = ~empty
        short = blocks.at_most(values, _SIGN_BYTES)
        for text, code in _SIGNS.items():
            written = text.encode(encoding, errors="ignore")
            if not written:
                continue  # a sign this encoding cannot hold
            hit = short[values[short] == written]
            if len(hit):
                marks.sign()[hit] = code
                todo[hit] = False
        cleaned = blocks.clean_numbers(values, encoding)
        numbers = self.numbers
        if numbers.decimal_comma + numbers.decimal_point < _STATS_ENOUGH:
            for char, had in cleaned.thousands.items():
                numbers.thousands[char] = numbers.thousands.get(char, 0) + int((had & todo).sum())
            comma = blocks.has_byte(cleaned.values, ",")
            dot = blocks.has_byte(cleaned.values, ".")
            numbers.decimal_comma += int((todo & comma & ~dot).sum())
            numbers.decimal_point += int((todo & dot & ~comma).sum())
        normal = cleaned.values
        integer = self.column.type == "integer"
        if not integer and numbers.decimal != ".":
            normal = blocks.replace_byte(normal, ",", ".")
        plain = todo & blocks.plain_numbers(normal, integer)
        normal = np.where(plain, normal, b"")
        slow = np.flatnonzero(todo & ~plain)
        found = [self._slow(value.decode(encoding)) for value in values[slow].tolist()]
        normal = blocks.put(normal, slow, [value.encode("utf-8") for value, _, _ in found])
        for index, (_, mark, code) in zip(slow.tolist(), found, strict=True):
            if mark:
                marks.sign()[index] = mark
            if code:
                marks.error()[index] = code
        return normal, marks.signs, marks.errors

    def distinct(
        self, codes: np.ndarray, uniques: np.ndarray, encoding: str = "utf-8"
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(normalised value as bytes, GUS sign, problem code) of each cell of
        a column given as the codes of its distinct UTF-8 values (from
        ``blocks.factorize``); signs and problems are None when there are none."""
        used = np.zeros(len(uniques), dtype=bool)
        used[codes] = True
        if not used.all():  # values of dropped rows only: not checked
            codes, uniques = (np.cumsum(used) - 1)[codes], uniques[used]
        normal, sign, error = self.values(blocks.to_texts(uniques, encoding))
        return (
            blocks.from_texts(normal.tolist())[codes],
            sign[codes] if (sign != "").any() else None,
            error[codes] if (error != "").any() else None,
        )

    def _slow(self, raw: str) -> tuple[str, str, str]:
        """(normalised value, GUS sign, problem code) of one value, the long way."""
        text = raw.strip()
        if not text:
            return "", "", "required_missing" if self.column.required else ""
        if text in _SIGNS and text.casefold() not in self.allowed:
            return "", _SIGNS[text], ""
        value, code = self._one(text)
        return value, "", code

    def _one(self, text: str) -> tuple[str, str]:
        """(normalised value, problem code) of one unusual value."""
        kind = self.column.type
        if kind == "integer" or kind == "decimal":
            value = self.numbers.parse(text, kind == "integer")
        elif kind == "date":
            value = _date(text)
        elif kind == "boolean":
            value = _boolean(text)
        else:
            value = text
        if value is None:
            return "", _TYPE_ERRORS[kind]
        if self.allowed and kind != "boolean":
            canonical = self.allowed.get(value.casefold())
            if canonical is None:
                return "", "not_allowed"
            value = canonical
        return value, ""

    def _check_years(self, normal: np.ndarray, error: np.ndarray) -> None:
        for index in np.flatnonzero((normal != "") & (error == "")):
            try:
                year = int(normal[index])
            except ValueError:
                continue
            self.seen_years.add(year)
            if self.years is not None and year not in self.years:
                error[index] = "year_out_of_range"


class _Marks:
    """GUS signs and problem codes of a column's cells, made when first set."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.signs: np.ndarray | None = None
        self.errors: np.ndarray | None = None

    def sign(self) -> np.ndarray:
        if self.signs is None:
            self.signs = np.full(self.size, "", dtype=object)
        return self.signs

    def error(self) -> np.ndarray:
        if self.errors is None:
            self.errors = np.full(self.size, "", dtype=object)
        return self.errors


def _isin(values: np.ndarray, wanted: list[str]) -> np.ndarray:
    """``np.isin`` for strings by hashing (numpy's sorts objects)."""
    return pd.Series(values, dtype=object, copy=False).isin(wanted).to_numpy()


def _fast_dates(text: np.ndarray, todo: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """``31.12.2021`` and ``2021-12-31``, checked by numpy's date parser."""
    done = np.zeros(len(text), dtype=bool)
    indexes = np.flatnonzero(todo)
    if not len(indexes):
        return done
    raw = text[indexes]
    length = np.strings.str_len(raw)
    polish = (
        (length == 10) & (np.strings.slice(raw, 2, 3) == ".") & (np.strings.slice(raw, 5, 6) == ".")
    )
    iso = (
        (length == 10) & (np.strings.slice(raw, 4, 5) == "-") & (np.strings.slice(raw, 7, 8) == "-")
    )
    flipped = np.strings.add(
        np.strings.add(np.strings.slice(raw, 6, 10), "-"),
        np.strings.add(
            np.strings.add(np.strings.slice(raw, 3, 5), "-"), np.strings.slice(raw, 0, 2)
        ),
    )
    dates = np.where(polish, flipped, raw)
    chosen = polish | iso
    try:
        np.array(dates[chosen], dtype="datetime64[D]")
    except ValueError:
        return done  # one of them is not a date: one by one
    normal[indexes[chosen]] = dates[chosen].astype(object)
    done[indexes[chosen]] = True
    return done


# --- duplicate keys -------------------------------------------------------


class _Keys:
    """Finds repeated keys from 8-byte hashes, spilling to disk when many."""

    def __init__(self) -> None:
        self.hashes: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.kept = 0
        self.spill: Path | None = None

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        self.hashes.append(hashes.astype(np.uint64, copy=False))
        self.rows.append(rows.astype(np.int64, copy=False))
        self.kept += len(hashes)
        if self.kept >= SPILL_KEYS:
            self._spill()

    def _spill(self) -> None:
        if self.spill is None:
            self.spill = Path(tempfile.mkdtemp(prefix="bdom-keys-"))
        hashes = np.concatenate(self.hashes)
        rows = np.concatenate(self.rows)
        buckets = (hashes >> np.uint64(58)).astype(np.int64)
        for bucket in np.unique(buckets):
            chosen = buckets == bucket
            pairs = np.empty((int(chosen.sum()), 2), dtype=np.uint64)
            pairs[:, 0] = hashes[chosen]
            pairs[:, 1] = rows[chosen].astype(np.uint64)
            with (self.spill / f"{bucket}.bin").open("ab") as stream:
                pairs.tofile(stream)
        self.hashes, self.rows, self.kept = [], [], 0

    def repeats(self, limit: int) -> tuple[list[tuple[int, int]], int]:
        """The first ``limit`` (row, first row with the same key) in row order,
        and how many rows repeat a key in all."""
        if self.spill is None:
            if not self.hashes:
                return [], 0
            rows, firsts = _repeats(np.concatenate(self.hashes), np.concatenate(self.rows))
            return _first_pairs([(rows, firsts)], limit), len(rows)
        if self.hashes:
            self._spill()
        kept: list[tuple[np.ndarray, np.ndarray]] = []
        total = 0
        for path in sorted(self.spill.glob("*.bin")):
            pairs = np.fromfile(path, dtype=np.uint64).reshape(-1, 2)
            rows, firsts = _repeats(pairs[:, 0], pairs[:, 1].astype(np.int64))
            total += len(rows)
            earliest = np.argsort(rows, kind="stable")[:limit]  # memory: limit per bucket
            kept.append((rows[earliest], firsts[earliest]))
        return _first_pairs(kept, limit), total

    def close(self) -> None:
        if self.spill is not None:
            shutil.rmtree(self.spill, ignore_errors=True)
            self.spill = None


def _repeats(hashes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key hash came earlier, and the first row of that hash."""
    order = np.lexsort((rows, hashes))
    hashes, rows = hashes[order], rows[order]
    same = np.flatnonzero(hashes[1:] == hashes[:-1]) + 1
    starts = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))
    first_of = starts[np.searchsorted(starts, same, side="right") - 1]
    return rows[same], rows[first_of]


def _first_pairs(parts: list[tuple[np.ndarray, np.ndarray]], limit: int) -> list[tuple[int, int]]:
    rows = np.concatenate([p[0] for p in parts]) if parts else np.array([], np.int64)
    firsts = np.concatenate([p[1] for p in parts]) if parts else np.array([], np.int64)
    order = np.argsort(rows, kind="stable")[:limit]
    return list(zip(rows[order].tolist(), firsts[order].tolist(), strict=True))


# --- the table reader -----------------------------------------------------


@dataclass
class _Chunk:
    loaded: pd.DataFrame | None  # positional columns of str, None until needed
    rows: np.ndarray  # the row number of each frame row
    fields: np.ndarray | None  # fields per row (CSV), None when not known (XLSX)
    blank: np.ndarray | None = None  # rows without any value, when known from the bytes
    data: bytes | None = None  # the CSV block in ``encoding`` (None for a sheet)
    grid: blocks.Grid | None = None  # where each field is, for a block without quotes
    parse: Callable[[], pd.DataFrame] | None = None  # reads ``frame`` when needed
    encoding: str = "utf-8"  # of ``data``: UTF-8, or a one-byte encoding for a grid

    @property
    def frame(self) -> pd.DataFrame:
        if self.loaded is None:
            assert self.parse is not None
            self.loaded = self.parse()
        return self.loaded


class _Source:
    """A readable table: the first rows for the header, then chunks."""

    def head(self) -> list[tuple[int, list[str]]]:
        raise NotImplementedError

    def chunks(self, first_row: int, width: int) -> Iterator[_Chunk]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the reader holds."""


class _CsvSource(_Source):
    def __init__(self, path: Path, detected: Detected, result: ValidationResult) -> None:
        self.path = path
        self.detected = detected
        self.result = result
        self.stream: BinaryIO = path.open("rb")
        self.progress: Callable[[int], None] | None = None
        self.temp: Path | None = None
        sample = self.stream.read(SAMPLE_BYTES)
        if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            self._from_utf16()
            sample = self.stream.read(SAMPLE_BYTES)
            detected.encoding = "utf-16"
        else:
            detected.encoding = _guess_encoding(sample)
            mixed = _UTF8_POLISH.search(sample) if detected.encoding not in _UTF8 else None
            if mixed:
                line = sample.count(b"\n", 0, mixed.start()) + 1
                result.add(problem("encoding", row=line, encoding="UTF-8"))
        self.encoding = "utf-8" if detected.encoding == "utf-16" else detected.encoding
        self.ascii_only = sample.isascii() and len(sample) == SAMPLE_BYTES
        complete = len(sample) < SAMPLE_BYTES
        cut = len(sample) if complete else sample.rfind(b"\n") + 1
        text = sample[:cut].decode(self.encoding, errors="replace")
        self.sample_text = text
        self.sample_raw = sample[:cut]

    def _from_utf16(self) -> None:
        """Excel's "Unicode text": transcode to a temporary UTF-8 file."""
        handle, name = tempfile.mkstemp(prefix="bdom-utf16-", suffix=".csv")
        self.temp = Path(name)
        self.stream.seek(0)
        reader = codecs.getreader("utf-16")(self.stream)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            while True:
                part = reader.read(BLOCK_BYTES)
                if not part:
                    break
                out.write(part)
        self.stream.close()
        self.stream = self.temp.open("rb")

    def close(self) -> None:
        self.stream.close()
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)

    def rows_of_sample(self, separator: str) -> list[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(self.sample_text, newline=""), delimiter=separator)
        rows: list[tuple[int, list[str]]] = []
        line = 1
        try:
            for cells in reader:
                rows.append((line, cells))
                line = reader.line_num + 1
                if len(rows) >= HEADER_SCAN_ROWS:
                    break
        except csv.Error:
            pass
        return rows

    def choose_separator(self, columns: Sequence[Column]) -> None:
        names = {dictionary.plain_name(c.name) for c in columns}
        best: tuple[Any, ...] = ()
        for order, separator in enumerate(SEPARATORS):
            rows = self.rows_of_sample(separator)
            header_score = max((_match_score(cells, names) for _, cells in rows), default=0)
            widths = [len(cells) for _, cells in rows if len(cells) > 1]
            common = max((widths.count(w) for w in set(widths)), default=0)
            score = (header_score, common, -order)
            if not best or score > best:
                best, self.detected.separator = score, separator
        self.head_rows = self.rows_of_sample(self.detected.separator)

    def head(self) -> list[tuple[int, list[str]]]:
        return self.head_rows

    def _offset_of_line(self, line: int) -> int:
        """Byte offset where ``line`` (1-based) starts."""
        offset = 0
        for _ in range(line - 1):
            found = self.sample_raw.find(b"\n", offset)
            if found < 0:
                return len(self.sample_raw)
            offset = found + 1
        return offset

    def _blocks(self, start: int) -> Iterator[bytes]:
        self.stream.seek(start)
        rest = b""
        while True:
            part = self.stream.read(BLOCK_BYTES)
            if not part:
                if rest:
                    yield rest if rest.endswith(b"\n") else rest + b"\n"
                return
            data = rest + part
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            block, rest = data[:cut], data[cut:]
            while block.count(b'"') % 2:  # a quoted value runs on: read further
                if len(block) > 4 * BLOCK_BYTES:
                    break  # an unclosed quote: pandas reports it, memory stays bounded
                more = self.stream.read(BLOCK_BYTES)
                if not more:
                    block, rest = block + rest, b""
                    break
                data = rest + more
                cut = data.rfind(b"\n") + 1
                block, rest = block + data[:cut], data[cut:]
            yield block

    def _readable(self, block: bytes, line: int) -> bytes | None:
        """The block (without a BOM) once it is known to decode, else None
        with the encoding problem reported at its row."""
        if self.ascii_only and not block.isascii():
            self.ascii_only = False
            self.encoding = _guess_encoding(block)
            self.detected.encoding = self.encoding
        if self.encoding in _UTF8:
            try:
                block.decode("utf-8")
            except UnicodeDecodeError as error:
                bad = line + block.count(b"\n", 0, error.start)
                self.result.add(problem("encoding", row=bad, encoding="UTF-8"))
                return None
            return block.removeprefix(codecs.BOM_UTF8)
        undefined = block.translate(None, _decodable(self.encoding))
        if undefined:
            start = min(block.find(bytes([byte])) for byte in set(undefined))
            name = ENCODING_NAMES.get(self.encoding, self.encoding)
            self.result.add(
                problem("encoding", row=line + block.count(b"\n", 0, start), encoding=name)
            )
            return None
        return block

    def chunks(self, first_row: int, width: int) -> Iterator[_Chunk]:
        separator = self.detected.separator
        line = first_row
        for raw in self._blocks(self._offset_of_line(first_row)):
            data = self._readable(raw, line)
            if data is None:
                return
            encoding = "utf-8" if self.encoding in _UTF8 else self.encoding
            blank = None
            grid = blocks.grid(data, separator, width) if b'"' not in data else None
            if grid is not None:  # read byte by byte in the file's encoding
                blank = grid.blank
                rows = np.arange(line, line + len(blank), dtype=np.int64)
                fields = np.full(len(blank), width, dtype=np.int64)
            else:
                if encoding != "utf-8":
                    data, encoding = data.decode(encoding).encode("utf-8"), "utf-8"
                if b'"' in data:
                    fields, rows = _fields_quoted(data, separator, line)
                else:
                    fields, rows, blank = _fields_plain(data, separator, line)
            names = list(range(max(width, int(fields.max()) if len(fields) else width)))
            parse = functools.partial(_read_block, data, separator, names, encoding)
            frame = None
            if grid is None:  # read now: a broken quote stops the file here
                try:
                    frame = parse()
                except (pd.errors.ParserError, ValueError) as error:
                    where = line
                    if data.count(b'"') % 2:  # the unclosed quote is the last one
                        where = line + data.count(b"\n", 0, data.rfind(b'"'))
                    self.result.add(_unreadable(str(error), where))
                    return
                if len(frame) != len(rows):
                    self.result.add(problem("unreadable", row=line, **UNCLOSED_QUOTE))
                    return
            line += len(rows) if grid is not None else raw.count(b"\n")
            if self.progress is not None:
                self.progress(len(raw))
            yield _Chunk(frame, rows, fields, blank, data, grid, parse, encoding)


def _read_block(data: bytes, separator: str, names: list[int], encoding: str) -> pd.DataFrame:
    """A CSV block as positional columns of text."""
    return pd.read_csv(
        io.BytesIO(data),
        sep=separator,
        header=None,
        names=names,
        index_col=False,
        dtype=str,
        na_filter=False,
        skip_blank_lines=False,
        encoding=encoding,
        engine="c",
        quotechar='"',
    )


def _fields_plain(
    data: bytes, separator: str, line: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fields per line, line numbers and blank lines of a block without quotes
    (counted with numpy)."""
    array = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(array == 10)
    seps = np.flatnonzero(array == ord(separator))
    before = np.searchsorted(seps, ends)
    fields = np.diff(np.concatenate(([0], before))) + 1
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts - (array[np.maximum(ends - 1, 0)] == 13)
    blank = (length - (fields - 1)) <= 0
    return fields, np.arange(line, line + len(ends), dtype=np.int64), blank


def _fields_quoted(data: bytes, separator: str, line: int) -> tuple[np.ndarray, np.ndarray]:
    """Fields and starting line of each record of a block with quotes."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=separator)
    fields: list[int] = []
    rows: list[int] = []
    start = line
    for cells in reader:
        fields.append(max(len(cells), 1))
        rows.append(start)
        start = line + reader.line_num
    return np.array(fields, dtype=np.int64), np.array(rows, dtype=np.int64)


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


class _XlsxSource(_Source):
    def __init__(self, path: Path, detected: Detected, columns: Sequence[Column]) -> None:
        from openpyxl import load_workbook

        self.book = load_workbook(path, read_only=True, data_only=True)
        names = {dictionary.plain_name(c.name) for c in columns}
        best: tuple[int, int] | None = None
        self.sheet = self.book.worksheets[0]
        self.head_rows: list[tuple[int, list[str]]] = []
        for order, sheet in enumerate(self.book.worksheets):
            rows = self._rows(sheet, limit=HEADER_SCAN_ROWS)
            score = max((_match_score(cells, names) for _, cells in rows), default=0)
            if best is None or (score, -order) > best:
                best, self.sheet, self.head_rows = (score, -order), sheet, rows
        detected.sheet = self.sheet.title
        detected.decimal = ""

    @staticmethod
    def _rows(sheet: Any, limit: int | None = None, start: int = 1) -> list[tuple[int, list[str]]]:
        sheet.reset_dimensions()
        rows = []
        for number, values in enumerate(sheet.iter_rows(min_row=start, values_only=True), start):
            rows.append((number, [_xlsx_text(v) for v in values]))
            if limit is not None and len(rows) >= limit:
                break
        return rows

    def head(self) -> list[tuple[int, list[str]]]:
        return self.head_rows

    def chunks(self, first_row: int, width: int) -> Iterator[_Chunk]:
        self.sheet.reset_dimensions()
        batch: list[list[str]] = []
        numbers: list[int] = []
        for number, values in enumerate(
            self.sheet.iter_rows(min_row=first_row, values_only=True), first_row
        ):
            cells = [_xlsx_text(v) for v in values[:width]]
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            batch.append(cells)
            numbers.append(number)
            if len(batch) >= XLSX_CHUNK_ROWS:
                yield self._chunk(batch, numbers, width)
                batch, numbers = [], []
        if batch:
            yield self._chunk(batch, numbers, width)

    @staticmethod
    def _chunk(batch: list[list[str]], numbers: list[int], width: int) -> _Chunk:
        frame = pd.DataFrame(batch, columns=list(range(width)), dtype=object)
        return _Chunk(frame, np.array(numbers, dtype=np.int64), None)

    def close(self) -> None:
        self.book.close()


# --- the check ------------------------------------------------------------


class _Validator:
    def __init__(
        self,
        columns: Sequence[Column],
        layout: _Layout,
        years: set[int] | None,
        result: ValidationResult,
        separator: str,
    ) -> None:
        self.columns = list(columns)
        self.layout = layout
        self.result = result
        self.separator = separator
        self.numbers = _Numbers()
        self.checks = {c.name: _ColumnCheck(c, self.numbers, years) for c in self.columns}
        year = dictionary.year_column(self.columns)
        if year is not None:
            self.checks[year.name].is_year = True
        self.year_name = year.name if year is not None else None
        self.keys = [c.name for c in self.columns if c.key and c.name in layout.positions]
        self.key_index = _Keys()
        present = [c for c in self.columns if c.name in layout.positions]
        self.totals_columns = [  # (position, few distinct values)
            (layout.positions[c.name], c.type == "text" or c.name == self.year_name)
            for i, c in enumerate(present)
            if c.type == "text" or i == 0 or c.name == self.year_name
        ]
        self.out: BinaryIO | None = None  # the normalised CSV being written
        self.quoted = [i for i, c in enumerate(self.columns) if c.type == "text"]
        self.quoted.append(len(self.columns))  # the flag column
        self.notes = len(layout.positions) >= 2
        self.learned = False
        header = layout.header
        self.unnamed = [i for i in range(layout.width) if i >= len(header) or not header[i]]
        self.plain_numbers = {
            c.name
            for c in self.columns
            if c.type in ("integer", "decimal")
            and not c.allowed_values
            and c.name != self.year_name
        }
        self.numeric_positions = [
            layout.positions[c.name]
            for c in self.columns
            if c.name in self.plain_numbers and c.name in layout.positions
        ]

    def run(self, chunks: Iterator[_Chunk], out: Path | None) -> None:
        temp: Path | None = None
        stream = None
        if out is not None:
            temp = out.with_name(out.name + ".part")
            stream = temp.open("wb")
            self.out = stream
            header = io.StringIO()
            csv.writer(header, lineterminator="\n").writerow(dictionary.output_names(self.columns))
            stream.write(header.getvalue().encode("utf-8"))
        try:
            previous: _Chunk | None = None
            for chunk in chunks:
                if previous is not None:
                    self._check(previous, last=False)
                previous = chunk
            if previous is not None:
                self._check(previous, last=True)
            self._finish()
            broken = any(p.code in ("encoding", "unreadable") for p in self.result.problems)
            if self.result.row_count == 0 and not broken:
                self.result.add(problem("no_rows"))
        finally:
            self.key_index.close()
            if stream is not None:
                stream.close()
        if temp is not None and out is not None:
            if self.result.ok:
                os.replace(temp, out)
            else:
                temp.unlink(missing_ok=True)

    def _check(self, chunk: _Chunk, last: bool) -> None:
        found = self._rows_of_grid(chunk, last)
        keep, column = found if found is not None else self._rows_of_frame(chunk, last)
        keep = self._drop_totals(column, keep, chunk.rows)
        if not keep.any():
            return
        rows = chunk.rows[keep]
        every = bool(keep.all())
        kept = _Columns(
            lambda position: column(position) if every else column(position)[keep], column.encoding
        )
        if chunk.data is not None and self.numeric_positions and not self.learned:
            self._learn(kept)
        out_columns: list[np.ndarray] = []
        signs: list[tuple[str, np.ndarray]] = []
        for item in self.columns:
            position = self.layout.positions.get(item.name)
            if position is None:  # a missing column: reported with the header
                out_columns.append(np.zeros(len(rows), dtype="S1"))
                continue
            values = kept(position)
            check = self.checks[item.name]
            if item.name in self.plain_numbers:
                normal, sign_u, problem_u = check.plain_numbers(values, kept.encoding)
            else:
                codes, uniques = column.factorized(position)
                normal, sign_u, problem_u = check.distinct(codes[keep], uniques, kept.encoding)
            sign = self._report(item, blocks.Texts(values, kept.encoding), rows, sign_u, problem_u)
            out_columns.append(normal)
            if sign is not None:
                signs.append((item.name, sign))
        out_columns.append(self._flags(signs, len(rows)))
        if self.keys:
            self._add_keys(out_columns, rows)
        self.result.row_count += len(rows)
        if self.out is not None and self.result.ok:
            for index in self.quoted:
                out_columns[index] = _quoted(out_columns[index])
            self.out.write(blocks.join_lines(out_columns))

    def _rows_of_grid(self, chunk: _Chunk, last: bool) -> tuple[np.ndarray, _Columns] | None:
        """The rows to check of a block without quotes whose every line has
        the header's fields (the usual case), or None."""
        grid = chunk.grid
        if grid is None or chunk.blank is None or len(self.layout.header) != self.layout.width:
            return None
        keep = ~chunk.blank
        if self.unnamed or (last and self.notes):  # the field lengths needed
            filled = grid.lengths() > 0
            if any((keep & filled[:, index]).any() for index in self.unnamed):
                return None  # ``_rows_of_frame`` warns of the unnamed column once
            if last and self.notes:
                keep = self._drop_notes(keep, filled.sum(axis=1), chunk.rows)
        return keep, _Columns(grid.column, chunk.encoding)

    def _rows_of_frame(self, chunk: _Chunk, last: bool) -> tuple[np.ndarray, _Columns]:
        """The rows to check of any chunk, read by pandas: blank rows, notes
        and ragged rows found from its cells."""
        frame, rows = chunk.frame, chunk.rows
        width = self.layout.width
        count = None
        if chunk.blank is not None:
            keep = ~chunk.blank
        else:
            count = (frame.iloc[:, :width] != "").to_numpy().sum(axis=1)
            keep = count > 0
            if frame.shape[1] > width:
                keep |= (frame.iloc[:, width:] != "").to_numpy().any(axis=1)
        if last and self.notes:
            if count is None:
                count = (frame.iloc[:, :width] != "").to_numpy().sum(axis=1)
            keep = self._drop_notes(keep, count, rows)
        if chunk.fields is not None:
            # Excel pads every row to the widest one: fewer fields than the
            # named columns, or filled fields past the header, are ragged.
            ragged_rows = chunk.fields < len(self.layout.header)
            longer = chunk.fields > width
            if longer.any():
                ragged_rows |= longer & (frame.iloc[:, width:] != "").to_numpy().any(axis=1)
            ragged = np.flatnonzero(keep & ragged_rows)
            self._unnamed(frame, keep, rows)
            room = max(0, MAX_PER_CODE - self.result.count_of("ragged_row"))
            for index in ragged[:room]:
                self.result.add(
                    problem(
                        "ragged_row",
                        row=int(rows[index]),
                        found=int(chunk.fields[index]),
                        expected=width,
                        separator=self.separator,
                    )
                )
            self.result.count_omitted("ragged_row", len(ragged) - len(ragged[:room]))
        return keep, _Columns(lambda position: blocks.from_texts(frame.iloc[:, position].tolist()))

    def _unnamed(self, frame: pd.DataFrame, keep: np.ndarray, rows: np.ndarray) -> None:
        """Warn once of values under a header cell without a name."""
        for index in self.unnamed:
            if index >= frame.shape[1]:
                continue
            filled = np.flatnonzero(keep & (frame.iloc[:, index] != "").to_numpy())
            if len(filled):
                self.unnamed.remove(index)
                name = f"#{index + 1}"
                self.result.add(problem("unknown_column", row=int(rows[filled[0]]), column=name))

    def _learn(self, column: _Columns) -> None:
        """The decimal mark and thousands separator, from the first rows of
        every numeric column (before any of them is normalised)."""
        self.learned = True
        for position in self.numeric_positions:
            item = next(c for c in self.columns if self.layout.positions.get(c.name) == position)
            self.checks[item.name].plain_numbers(column(position)[:LEARN_ROWS], column.encoding)

    def _drop_notes(self, keep: np.ndarray, count: np.ndarray, rows: np.ndarray) -> np.ndarray:
        full = np.flatnonzero(keep & (count >= 2))
        last_data = int(full[-1]) if len(full) else -1
        tail = np.flatnonzero(keep[last_data + 1 :]) + last_data + 1
        if len(tail):
            keep = keep.copy()
            keep[tail] = False
            self.result.add(
                problem(
                    "notes_ignored", row=int(rows[tail[0]]), **_span(rows[tail[0]], rows[tail[-1]])
                )
            )
        return keep

    def _drop_totals(self, column: _Columns, keep: np.ndarray, rows: np.ndarray) -> np.ndarray:
        totals = np.zeros(len(keep), dtype=bool)
        for position, few in self.totals_columns:
            values = column(position)
            if few:  # text: its distinct values
                codes, uniques = column.factorized(position)
                texts = blocks.to_texts(uniques, column.encoding)
                hits = np.array([bool(_TOTALS.match(t.strip())) for t in texts], dtype=bool)
                if hits.any():
                    totals |= hits[codes]
                continue
            for index in np.flatnonzero(blocks.starts_with_letter(values)):
                text = values[index].decode(column.encoding)
                totals[index] |= bool(_TOTALS.match(text.strip()))
        totals &= keep
        for index in np.flatnonzero(totals):
            texts = (
                column(p)[index].decode(column.encoding).strip() for p, _ in self.totals_columns
            )
            first = next(text for text in texts if _TOTALS.match(text))
            self.result.add(problem("totals_row", row=int(rows[index]), value=first))
        return keep & ~totals

    def _report(
        self,
        column: Column,
        values: blocks.Texts,
        rows: np.ndarray,
        sign_u: np.ndarray | None,
        problem_u: np.ndarray | None,
    ) -> np.ndarray | None:
        """Count the GUS signs and report the problems of one column's cells
        (``values``: the cells as written); the signs, if any."""
        if sign_u is not None:
            self.result.gus_signs += int((sign_u != "").sum())
        if problem_u is None:
            return sign_u
        for code in dict.fromkeys(problem_u[problem_u != ""].tolist()):
            where = np.flatnonzero(problem_u == code)
            room = max(0, MAX_PER_CODE - self.result.count_of(code))
            for index in where[:room]:
                shown = values.text(int(index)).strip()
                self._cell_problem(column, code, shown, rows, int(index))
            self.result.count_omitted(code, len(where) - len(where[:room]))
        return sign_u

    def _cell_problem(
        self, column: Column, code: str, value: str, rows: np.ndarray, index: int
    ) -> None:
        extra: dict[str, Any] = {}
        if code == "not_allowed":
            extra["allowed"] = ", ".join(column.allowed_values)
        if code == "year_out_of_range":
            years = sorted(self.checks[column.name].years or ())
            extra["years"] = _years_text(years)
        self.result.add(
            problem(code, row=int(rows[index]), column=column.name, value=value, **extra)
        )

    @staticmethod
    def _flags(signs: list[tuple[str, np.ndarray]], length: int) -> np.ndarray:
        """The ``znak_gus`` column (UTF-8): which sign stood in which column."""
        flags = np.zeros(length, dtype="S1")
        if not signs:
            return flags
        marked = np.zeros(length, dtype=bool)
        for _, sign in signs:
            marked |= sign != ""
        index = np.flatnonzero(marked)
        texts = [
            "; ".join(f"{name}={sign[i]}" for name, sign in signs if sign[i]).encode("utf-8")
            for i in index.tolist()
        ]
        return blocks.put(flags, index, texts)

    def _add_keys(self, out_columns: list[np.ndarray], rows: np.ndarray) -> None:
        indexes = [i for i, c in enumerate(self.columns) if c.name in self.keys]
        self.key_index.add(blocks.hashes([out_columns[i] for i in indexes]), rows)

    def _finish(self) -> None:
        if self.keys:
            names = ", ".join(self.keys)
            room = max(0, MAX_PER_CODE - self.result.count_of("duplicate_key"))
            pairs, total = self.key_index.repeats(room)
            for row, first in pairs:
                self.result.add(problem("duplicate_key", row=row, keys=names, first=first))
            self.result.count_omitted("duplicate_key", total - len(pairs))
        if self.year_name is not None and self.result.row_count:
            check = self.checks[self.year_name]
            if check.years:
                for year in sorted(check.years - check.seen_years):
                    self.result.add(problem("year_missing", column=self.year_name, value=year))
        self.result.detected.decimal = self.numbers.decimal
        self.result.detected.thousands = self.numbers.thousands_mark


def _quoted(values: np.ndarray) -> np.ndarray:
    """CSV quoting (as the csv module's minimal quoting) of the UTF-8 values
    that need it."""
    index = np.flatnonzero(blocks.needs_quotes(values))
    quoted = [b'"' + v.replace(b'"', b'""') + b'"' for v in values[index].tolist()]
    return blocks.put(values, index, quoted)


class _Columns:
    """The columns of a chunk as ``S`` arrays in ``encoding``, each made once."""

    def __init__(self, make: Callable[[int], np.ndarray], encoding: str = "utf-8") -> None:
        self.make = make
        self.encoding = encoding
        self.made: dict[int, np.ndarray] = {}
        self.codes: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __call__(self, position: int) -> np.ndarray:
        if position not in self.made:
            self.made[position] = self.make(position)
        return self.made[position]

    def factorized(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """(code of each value, distinct values) of a column."""
        if position not in self.codes:
            self.codes[position] = blocks.factorize(self(position))
        return self.codes[position]


def _unreadable(detail: str, row: int | None = None) -> Problem:
    """``unreadable`` with the reader's detail (an unclosed quote said plainly)."""
    if "EOF inside string" in detail or "unexpected end of data" in detail:
        return problem("unreadable", row=row, **UNCLOSED_QUOTE)
    return problem("unreadable", row=row, detail_pl=detail, detail_en=detail)


def _span(first: int, last: int) -> dict[str, str]:
    """``wiersz 10`` / ``rows 8–9``, for a message."""
    if first == last:
        return {"rows_pl": f"wiersz {first}", "rows_en": f"row {first}"}
    return {"rows_pl": f"wiersze {first}–{last}", "rows_en": f"rows {first}–{last}"}


def _years_text(years: Sequence[int]) -> str:
    """``2015–2020, 2022``."""
    parts: list[str] = []
    start = previous = None
    for year in years:
        if previous is not None and year == previous + 1:
            previous = year
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = year
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


# --- entry point ----------------------------------------------------------


def validate_file(
    source: Path,
    columns: Sequence[Column],
    *,
    years: Sequence[int] | None = None,
    out: Path | None = None,
    original_name: str = "",
    progress: Callable[[int], None] | None = None,
) -> ValidationResult:
    """Validate ``source`` against ``columns``; when ok and ``out`` is given,
    write the normalised CSV there. ``source`` is never modified.

    ``progress`` is called with the number of bytes of each CSV block read
    (for a progress bar of the file's size)."""
    source = Path(source)
    result = ValidationResult(original_name=original_name or source.name)
    detected = result.detected
    with source.open("rb") as stream:
        head = stream.read(65536)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        result.add(problem("empty_file"))
        return result
    kind, reason = _kind(source, head)
    if not kind:
        if reason == "old_excel":
            result.add(problem("old_excel"))
        else:
            what_pl, what_en = NOT_TABULAR.get(reason, NOT_TABULAR["binary"])
            result.add(problem("not_tabular", what_pl=what_pl, what_en=what_en))
        return result
    detected.format = kind
    reader: _Source
    try:
        if kind == "xlsx":
            reader = _XlsxSource(source, detected, columns)
        else:
            reader = _CsvSource(source, detected, result)
            reader.progress = progress
            reader.choose_separator(columns)
    except Exception as error:  # a damaged workbook: say so instead of failing
        result.add(_unreadable(type(error).__name__))
        return result
    try:
        _validate(reader, columns, years, out, result)
    finally:
        reader.close()
    return result


def _validate(
    reader: _Source,
    columns: Sequence[Column],
    years: Sequence[int] | None,
    out: Path | None,
    result: ValidationResult,
) -> None:
    detected = result.detected
    if not result.ok:  # a mixed encoding found while sampling
        return
    head = reader.head()
    if not any(any(c.strip() for c in cells) for _, cells in head):
        result.add(problem("empty_file"))
        return
    found = _find_header(head, columns)
    if found is None:
        expected = ", ".join(c.name for c in columns)
        result.add(problem("no_header", expected=expected))
        return
    header_row, header = found
    header = [str(c).strip() for c in header]
    width = len(header)
    while header and not header[-1]:
        header.pop()
    detected.header_row = header_row
    detected.columns = list(header)
    if not columns:
        columns = [Column(name=c) for c in header if c]
    layout = _layout(header, header_row, columns, result, width)
    first_row = header_row + 1
    following = next((cells for number, cells in head if number == first_row), None)
    if following is not None and _units_row([str(c) for c in following], layout, columns):
        detected.units_row = first_row
        _check_units_row([str(c) for c in following], first_row, layout, columns, result)
        first_row += 1
    if not result.ok:
        out = None  # the header is wrong: check the rows, write nothing
    validator = _Validator(
        columns,
        layout,
        set(years) if years else None,
        result,
        detected.separator,
    )
    try:
        validator.run(reader.chunks(first_row, layout.width), out)
    except Exception as error:  # a damaged file: report it instead of failing the upload
        log.warning("validate_file: %s unreadable", result.original_name, exc_info=True)
        result.add(_unreadable(type(error).__name__))
    result.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
