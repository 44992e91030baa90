"""Writes the corpus of steward files (run from the repository root):

    .venv/bin/python tests/data/steward_files/make_corpus.py

Every file is what a city office really sends: Excel's CSV exports in
Windows-1250, ISO-8859-2, UTF-8 with or without BOM and UTF-16, `;`, `,` and
tab separators, decimal commas, thousands separated by spaces, Unicode
minus, GUS signs, title rows, units, totals rows and notes; XLSX workbooks
with the same; and what arrives by mistake (an HTML error page saved as
.csv, a PDF, a ZIP, an old XLS). ``cases.json`` says what the validator
must find in each against ``columns.json``; rows are numbered as the
steward sees them (the line of the CSV, the row of the sheet).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["rok", "dzielnica", "ludnosc", "saldo_migracji", "powierzchnia", "data_pomiaru", "park"]
COLUMNS = [
    {"name": "rok", "type": "integer", "required": "true", "key": "true"},
    {
        "name": "dzielnica",
        "type": "text",
        "required": "true",
        "key": "true",
        "allowed_values": "Centrum, Bytków, Michałkowice, Przełajka, Bańgów",
    },
    {"name": "ludnosc", "type": "integer", "unit": "osoby", "description": "Liczba mieszkańców"},
    {"name": "saldo_migracji", "type": "integer", "unit": "osoby"},
    {"name": "powierzchnia", "type": "decimal", "unit": "km2"},
    {"name": "data_pomiaru", "type": "date"},
    {"name": "park", "type": "boolean"},
]
ROWS = [
    ["2021", "Centrum", "12 345", "-120", "4,5", "31.12.2021", "tak"],
    ["2021", "Bytków", "8 012", "35", "3,25", "31.12.2021", "nie"],
    ["2022", "Centrum", "12 101", "-244", "4,5", "31.12.2022", "tak"],
    ["2022", "Michałkowice", "10 777", "0", "5,75", "31.12.2022", "nie"],
]


def lines(rows: list[list[str]], separator: str = ";", end: str = "\r\n") -> str:
    return "".join(separator.join(row) + end for row in rows)


def write(name: str, content: str | bytes, encoding: str = "cp1250") -> None:
    data = content if isinstance(content, bytes) else content.encode(encoding)
    (HERE / name).write_bytes(data)


def csv_files() -> None:
    write("ok_cp1250_semicolon.csv", lines([HEADER, *ROWS]))
    title = ["Liczba ludności według dzielnic; źródło: Wydział Spraw Obywatelskich"]
    write("ok_iso88592_tab.csv", lines([title, HEADER, *ROWS], "\t"), "iso-8859-2")
    write("ok_utf8_bom.csv", lines([HEADER, *ROWS]), "utf-8-sig")
    english = [[c.replace(" ", "").replace(",", ".") for c in r] for r in ROWS]
    write("ok_utf8_comma.csv", lines([HEADER, *english], ",", "\n"), "utf-8")
    write("ok_utf16_tab.txt", lines([HEADER, *ROWS], "\t"), "utf-16")
    spaced = [
        ["2021", "Centrum", "12\u00a0345", "\u2212120", "4,5", "2021-12-31", "TAK"],
        ["2021", "Bytków", "8\u202f012", "-35", "1\u00a0003,25", "2021-12-31", "Nie"],
    ]
    write("thousands_nbsp_utf8.csv", lines([HEADER, *spaced]), "utf-8")
    gus = [
        ["2021", "Centrum", "12 345", "-", "4,5", "31.12.2021", "tak"],
        ["2021", "Bytków", ".", "x", "3,25", "", "nie"],
        ["2022", "Centrum", "12 101", "-244", "4,5", "31.12.2022", "x"],
    ]
    write("gus_signs.csv", lines([HEADER, *gus]))
    titled = [
        ["Tabela 1. Ludność według dzielnic", "", "", "", "", "", ""],
        ["Stan na 31 grudnia", "", "", "", "", "", ""],
        [
            "Rok",
            "Dzielnica",
            "Ludność [osoby]",
            "Saldo migracji",
            "Powierzchnia [km2]",
            "Data pomiaru",
            "Park",
        ],
        *ROWS[:2],
        ["2021", "Razem", "20 357", "-85", "7,75", "31.12.2021", ""],
        ["", "", "", "", "", "", ""],
        ["Źródło: Urząd Miasta Siemianowice Śląskie", "", "", "", "", "", ""],
        ["* dane wstępne", "", "", "", "", "", ""],
    ]
    write("title_totals_notes.csv", lines(titled))
    units = [HEADER, ["", "", "[osoby]", "[osoby]", "[km2]", "", ""], *ROWS[:2]]
    write("units_row.csv", lines(units))
    wrong_unit = [["rok", "dzielnica", "ludnosc [tys. osób]", *HEADER[3:]], *ROWS[:2]]
    write("unit_mismatch.csv", lines(wrong_unit))
    missing = [["rok", "ludnosc", "uwagi"], ["2021", "12 345", "bez uwag"]]
    write("missing_column.csv", lines(missing))
    bad = [
        HEADER,
        ["2021", "Centrum", "abc", "0", "4,5", "31.12.2021", "tak"],  # line 2: not_integer
        ["2021", "Bytków", "12,5", "0", "4,5", "31.02.2021", "tak"],  # 3: not_integer, not_date
        ["2021", "Śródmieście", "1", "0", "cztery", "31.12.2021", "może"],  # 4: three errors
        ["", "Przełajka", "1", "0", "4,5", "31.12.2021", "nie"],  # 5: required_missing
    ]
    write("bad_values.csv", lines(bad))
    years = [HEADER, ["2019", *ROWS[0][1:]], *ROWS[:2]]
    write("years_outside.csv", lines(years))
    duplicated = [HEADER, *ROWS, ["2021", "Centrum", "1", "0", "1", "31.12.2021", "tak"]]
    write("duplicate_keys.csv", lines(duplicated))
    ragged = [
        HEADER,
        ROWS[0],
        [*ROWS[1], "nadmiar"],  # line 3: 8 fields
        ROWS[2][:5],  # line 4: 5 fields
        ROWS[3],
    ]
    write("ragged_rows.csv", lines(ragged))
    padded = [
        [*HEADER, "", ""],  # Excel pads every row to the widest one
        [*ROWS[0], "", ""],
        [*ROWS[1], "", "uwaga"],  # line 3: a value under no column name
        ROWS[2],  # line 4: not padded, still every named column
        [*ROWS[3], ""],
    ]
    write("excel_padded.csv", lines(padded))
    quoted = (
        lines([HEADER, ROWS[0]])
        + '2021;"Bytków";"8 012";35;"3,25";31.12.2021;"nie"\r\n'
        + '2022;Centrum;"12 101";"-244";4,5;31.12.2022;tak\r\n'
        + '2022;"Michał\r\nkowice";"zero";0;5,75;31.12.2022;nie\r\n'
        + "2022;Bańgów;abc;0;5,75;31.12.2022;nie\r\n"
    )
    write("quoted_multiline.csv", quoted)
    unclosed = (
        lines([HEADER, ROWS[0]]) + '2021;"Bytków;8 012;35;3,25;31.12.2021;nie\r\n' + lines(ROWS[2:])
    )
    write("unclosed_quote.csv", unclosed)  # line 3 opens a quote that never closes
    write("empty.csv", b"")
    write("header_only.csv", lines([HEADER]))
    write("no_header.csv", lines([["Lp", "Nazwa", "Wartość"], ["1", "a", "2"]]))
    many = [HEADER] + [
        ["2021", "Centrum", f"zle{i}", "0", "1", "31.12.2021", "tak"] for i in range(120)
    ]
    write("many_errors.csv", lines(many))
    utf8_part = lines([HEADER, ROWS[1]]).encode("utf-8")  # line 2: "Bytków" in UTF-8
    write("mixed_encoding.csv", utf8_part + lines([ROWS[3]]).encode("cp1250"))
    html = (
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
        "<body><h1>502 Bad Gateway</h1></body></html>\n"
    )
    write("error_page.csv", html, "utf-8")


def other_files() -> None:
    write(
        "scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("dane.csv", lines([HEADER, *ROWS]))
    write("archive_not_xlsx.xlsx", archive.getvalue())
    write("old_format.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


def workbook_files() -> None:
    book = Workbook()
    guide = book.active
    guide.title = "Instrukcja"
    guide.append(["Jak wypełnić formularz"])
    sheet = book.create_sheet("Dane")
    sheet.append(["Ludność według dzielnic Siemianowic Śląskich"])  # 1: title
    sheet.append([])  # 2
    sheet.append(
        ["Rok", "Dzielnica", "Ludność", "Saldo migracji", "Powierzchnia", "Data pomiaru", "Park"]
    )  # 3
    sheet.append([None, None, "[osoby]", "[osoby]", "[km2]", None, None])  # 4: units
    sheet.append([2021, "Centrum", 12345, -120, 4.5, datetime.datetime(2021, 12, 31), "tak"])  # 5
    sheet.append([2021, "Bytków", 8012, 35, 3.25, "31.12.2021", "nie"])  # 6
    sheet.append([2021, "Ogółem", 20357, -85, 7.75, None, None])  # 7: totals
    sheet.append([2022, "Centrum", "12 101", "-", 4.5, datetime.date(2022, 12, 31), True])  # 8
    sheet.append([])  # 9
    sheet.append(["Źródło: opracowanie własne"])  # 10: note
    book.save(HERE / "title_units_notes.xlsx")

    book = Workbook()
    sheet = book.active
    sheet.title = "Arkusz1"
    sheet.append(HEADER)
    sheet.append([2021, "Centrum", 12345.5, 0, "4,5", "2021-13-01", "tak"])  # 2
    sheet.append([2021, "Centrum", 1, 0, 1, None, "nie"])  # 3: duplicate of 2
    book.save(HERE / "bad_values.xlsx")


def damaged_workbook() -> None:
    """A workbook whose data sheet was cut off (an interrupted download)."""
    source = zipfile.ZipFile(HERE / "title_units_notes.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/worksheets/sheet2"):
                data = data[: len(data) // 2]
            target.writestr(name, data)
    write("damaged_sheet.xlsx", out.getvalue())


def main() -> None:
    (HERE / "columns.json").write_text(
        json.dumps(COLUMNS, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    csv_files()
    other_files()
    workbook_files()
    damaged_workbook()


if __name__ == "__main__":
    main()
