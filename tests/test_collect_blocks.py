"""The upload validator's fast lane (bdom_collect.blocks): plain CSV blocks
read as byte grids give the same report and the same normalised CSV as the
general path that reads every cell with pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ckanext.bdom.collect import blocks, validate
from ckanext.bdom.collect import columns as dictionary

CORPUS = Path(__file__).parent / "data" / "steward_files"
COLUMNS = dictionary.columns_from_json(
    json.loads((CORPUS / "columns.json").read_text(encoding="utf-8"))
)
FREE_TEXT = [COLUMNS[0], dictionary.Column("dzielnica", key=True), *COLUMNS[2:]]
CSV_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".txt"))


def _outcome(
    path: Path, tmp_path: Path, name: str, columns: list = COLUMNS
) -> tuple[list, bytes | None, dict]:
    out = tmp_path / f"{name}.csv"
    result = validate.validate_file(path, columns, out=out)
    problems = [(p.code, p.row, p.column, p.message_en) for p in result.problems]
    detected = result.detected.to_dict()
    return problems, out.read_bytes() if out.exists() else None, detected


@pytest.mark.parametrize("name", CSV_FILES)
def test_both_lanes_give_the_same_report_and_file(name, tmp_path, monkeypatch):
    fast = _outcome(CORPUS / name, tmp_path, "fast")
    monkeypatch.setattr(blocks, "grid", lambda *args: None)  # every block read by pandas
    general = _outcome(CORPUS / name, tmp_path, "general")

    assert fast == general


def _office_file(path: Path, rows: int) -> None:
    """Rows as an office exports them, one of each unusual kind of cell."""
    lines = ["rok;dzielnica;ludnosc;saldo_migracji;powierzchnia;data_pomiaru;park"]
    for number in range(rows):
        people = f"{number * 37 % 99_999:,}".replace(",", "\u00a0")
        lines.append(
            f"{2000 + number % 20};D{number};{people};\u2013{number % 50};"
            f"{number % 900},{number % 100:02d};{1 + number % 28:02d}.0{1 + number % 9}.2020;tak"
        )
    lines[5] = "2004;D4;-;x;.;;nie"  # GUS signs
    lines[9] = "2008;D8;12 000,0;1;2,5;2020-01-02;nie"  # an integer written as decimal
    lines[12] = "2011;Razem;99;1;2;;tak"  # a totals row
    lines[15] = "2014;D14;dużo;1;2;30.02.2020;nie"  # not a number, not a date
    lines[18] = "2017;Zzz, ul. Długa;1;-0;3.5;;"  # a comma to quote, a decimal point
    path.write_bytes(("\r\n".join(lines) + "\r\n;;;;;;\r\nŹródło: GUS\r\n").encode("cp1250"))


def test_both_lanes_agree_on_a_file_of_many_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(validate, "SAMPLE_BYTES", 4096)
    source = tmp_path / "urzad.csv"
    _office_file(source, 2000)
    grids: list[bool] = []
    cut = blocks.grid
    monkeypatch.setattr(blocks, "grid", lambda *args: grids.append(bool(g := cut(*args))) or g)

    fast = _outcome(source, tmp_path, "fast", FREE_TEXT)
    assert grids.count(True) > 10
    assert grids[-1] is False
    monkeypatch.setattr(blocks, "grid", lambda *args: None)
    general = _outcome(source, tmp_path, "general", FREE_TEXT)

    assert fast == general
    codes = {code for code, *_ in fast[0]}
    assert {"not_integer", "not_date", "totals_row", "notes_ignored"} <= codes


def test_a_valid_file_of_many_blocks_is_normalised_the_same_by_both_lanes(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "BLOCK_BYTES", 4096)
    source = tmp_path / "urzad.csv"
    _office_file(source, 900)
    lines = source.read_bytes().split(b"\r\n")
    del lines[15]  # the bad row
    source.write_bytes(b"\r\n".join(lines))

    fast = _outcome(source, tmp_path, "fast", FREE_TEXT)
    monkeypatch.setattr(blocks, "grid", lambda *args: None)
    general = _outcome(source, tmp_path, "general", FREE_TEXT)

    assert fast[1] is not None
    assert fast == general
    text = fast[1].decode("utf-8")
    assert '\n2017,"Zzz, ul. Długa",1,-0,3.5,,,\n' in text
    assert "\n2000,D0,0,-0,0.00,2020-01-01,true,\n" in text
    assert "\n2004,D4,,,,,false,ludnosc=-; saldo_migracji=x; powierzchnia=.\n" in text


def test_a_grid_needs_the_same_fields_on_every_line():
    assert blocks.grid(b"a;b\r\nc;d\n", ";", 2) is not None
    assert blocks.grid(b"a;b;c\nd\n", ";", 2) is None  # as many separators, other lines
    assert blocks.grid(b"a;b\nc\x00;d\n", ";", 2) is None


def test_a_grid_cuts_fields_without_line_ends():
    grid = blocks.grid(b"12;Centrum\r\n;\r\n3;\n", ";", 2)

    assert grid is not None
    assert grid.column(0).tolist() == [b"12", b"", b"3"]
    assert grid.column(1).tolist() == [b"Centrum", b"", b""]


def test_numbers_lose_their_thousands_separators_and_get_ascii_minus():
    values = blocks.from_texts(["1\u00a0234,5", "\u22127", "12 345", "1\u202f000", "x"])

    cleaned = blocks.clean_numbers(values)

    assert blocks.join_lines([cleaned.values]) == b"1234,5\n-7\n12345\n1000\nx\n"
    assert sorted(cleaned.thousands) == [" ", "\u00a0", "\u202f"]
    assert cleaned.thousands["\u00a0"].tolist() == [True, False, False, False, False]


def test_plain_numbers():
    values = blocks.from_texts(["-12", "1.5", "1.2.3", "--1", "", "7-", "\u0665", ".5"])

    assert blocks.plain_numbers(values, integer=True).tolist() == [
        True, False, False, False, False, False, False, False,
    ]  # fmt: skip
    assert blocks.plain_numbers(values, integer=False).tolist() == [
        True, True, False, False, False, False, False, True,
    ]  # fmt: skip


def test_hashes_do_not_depend_on_width_or_blanked_bytes():
    narrow = blocks.from_texts(["12", "ab"])
    wide = np.array([b"1\x002", b"ab"], dtype="S9")

    assert blocks.hashes([narrow]).tolist() == blocks.hashes([wide]).tolist()
    assert blocks.hashes([narrow, narrow])[0] != blocks.hashes([narrow])[0]


def test_factorize_keeps_the_order_of_appearance():
    for texts in (["b", "a", "b", "c", "a"], ["długa nazwa " + t for t in "babca"]):
        codes, uniques = blocks.factorize(blocks.from_texts(texts))

        assert blocks.to_texts(uniques)[codes].tolist() == texts
        assert blocks.to_texts(uniques).tolist() == list(dict.fromkeys(texts))


def test_a_byte_the_encoding_lacks_is_reported_at_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(validate, "SAMPLE_BYTES", 4096)
    source = tmp_path / "urzad.csv"
    _office_file(source, 2000)
    lines = source.read_bytes().split(b"\r\n")
    lines[1500] = lines[1500].replace(b";D", b";\x81D", 1)  # undefined in Windows-1250
    source.write_bytes(b"\r\n".join(lines))

    problems, written, detected = _outcome(source, tmp_path, "fast", FREE_TEXT)

    assert detected["encoding"] == "cp1250"
    assert [(code, row) for code, row, *_ in problems if code == "encoding"] == [("encoding", 1501)]
    assert written is None
