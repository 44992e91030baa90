"""Validation and normalisation of steward files (bdom_collect.validate).

Every file of tests/data/steward_files/ (made by its make_corpus.py) is
validated against columns.json and compared with its expected outcome in
cases.json: what was detected, which problems at which row and column, and
the normalised CSV for a few of them. Then the streaming (tiny blocks, keys
spilled to disk), the column dictionary and ``ckan bdom validate``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ckanext.bdom.collect import columns as dictionary
from ckanext.bdom.collect import validate
from ckanext.bdom.collect.cli import validate_command

CORPUS = Path(__file__).parent / "data" / "steward_files"
MANIFEST = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))["cases"]
COLUMNS = dictionary.columns_from_json(
    json.loads((CORPUS / "columns.json").read_text(encoding="utf-8"))
)
HEADER = "rok,dzielnica,ludnosc,saldo_migracji,powierzchnia,data_pomiaru,park,znak_gus\n"


def run(path: Path, tmp_path: Path, years: list[int] | None = None) -> validate.ValidationResult:
    return validate.validate_file(path, COLUMNS, years=years, out=tmp_path / "out.csv")


def test_every_corpus_file_has_an_expected_outcome():
    files = {p.name for p in CORPUS.iterdir() if p.suffix not in (".py", ".json")}
    assert files == {case["file"] for case in MANIFEST}


@pytest.mark.parametrize("case", MANIFEST, ids=[c["file"] for c in MANIFEST])
def test_steward_file(case, tmp_path):
    source = CORPUS / case["file"]
    before = hashlib.sha256(source.read_bytes()).hexdigest()

    result = run(source, tmp_path, case.get("years"))

    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # never modified
    found = [[p.code, p.row, p.column] for p in result.problems]
    if "problems" in case:
        assert sorted(found, key=str) == sorted(case["problems"], key=str)
    for code, number in case.get("codes", {}).items():
        assert sum(1 for p in result.problems if p.code == code) == number
    assert result.omitted == case.get("omitted", {})
    assert result.ok is case["ok"]
    for key, value in case.get("detected", {}).items():
        assert getattr(result.detected, key) == value, key
    if "row_count" in case:
        assert result.row_count == case["row_count"]
    assert result.gus_signs == case.get("gus_signs", 0)
    for item in result.problems:  # says what is wrong and how to fix it, in both languages
        assert all((item.message_pl, item.message_en, item.fix_pl, item.fix_en))
        assert item.message_pl != item.message_en
        assert item.severity == ("warning" if item.code in validate.WARNINGS else "error")
    assert (tmp_path / "out.csv").exists() is case["ok"]
    report = json.loads(json.dumps(result.to_dict()))
    assert report["ok"] is case["ok"]
    assert all((report["summary_pl"], report["summary_en"]))


NORMALISED = {
    "gus_signs.csv": HEADER
    + "2021,Centrum,12345,,4.5,2021-12-31,true,saldo_migracji=-\n"
    + "2021,Bytków,,,3.25,,false,ludnosc=.; saldo_migracji=x\n"
    + "2022,Centrum,12101,-244,4.5,2022-12-31,,park=x\n",
    "thousands_nbsp_utf8.csv": HEADER
    + "2021,Centrum,12345,-120,4.5,2021-12-31,true,\n"
    + "2021,Bytków,8012,-35,1003.25,2021-12-31,false,\n",
    "title_units_notes.xlsx": HEADER
    + "2021,Centrum,12345,-120,4.5,2021-12-31,true,\n"
    + "2021,Bytków,8012,35,3.25,2021-12-31,false,\n"
    + "2022,Centrum,12101,,4.5,2022-12-31,true,saldo_migracji=-\n",
    "ok_iso88592_tab.csv": HEADER
    + "2021,Centrum,12345,-120,4.5,2021-12-31,true,\n"
    + "2021,Bytków,8012,35,3.25,2021-12-31,false,\n"
    + "2022,Centrum,12101,-244,4.5,2022-12-31,true,\n"
    + "2022,Michałkowice,10777,0,5.75,2022-12-31,false,\n",
}


@pytest.mark.parametrize("name", sorted(NORMALISED))
def test_normalised_csv(name, tmp_path):
    result = run(CORPUS / name, tmp_path)

    assert result.ok
    assert (tmp_path / "out.csv").read_bytes().decode("utf-8") == NORMALISED[name]


def test_a_refused_file_leaves_an_earlier_normalised_file_alone(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("kept", encoding="utf-8")

    result = validate.validate_file(CORPUS / "bad_values.csv", COLUMNS, out=out)

    assert not result.ok
    assert out.read_text(encoding="utf-8") == "kept"
    assert not list(tmp_path.glob("*.part"))


def test_messages_name_the_value_and_the_way_out(tmp_path):
    result = run(CORPUS / "bad_values.csv", tmp_path)
    by_code = {p.code: p for p in result.problems}

    assert (
        by_code["not_allowed"].message_pl
        == "„Śródmieście” nie jest dozwoloną wartością tej kolumny."
    )
    assert "Centrum, Bytków, Michałkowice, Przełajka, Bańgów" in by_code["not_allowed"].fix_en
    assert by_code["not_date"].message_en == "“31.02.2021” is not a valid date."
    assert "31.12.2021" in by_code["not_date"].fix_pl
    assert "Plik ma błędy (7)" in result.summary_pl
    assert "decimal comma" in result.summary_en


def _big_file(path: Path, rows: int) -> None:
    """A Windows-1250 file spanning many tiny blocks, with a quoted value over
    two lines, a repeated key near the end and an error in the last row."""
    lines = ["rok;dzielnica;ludnosc;saldo_migracji;powierzchnia;data_pomiaru;park"]
    for number in range(rows):
        lines.append(f"{2000 + number % 20};D{number // 20};1 {number % 1000:03d};-1;0,5;;tak")
    lines[40] = '2039;"Dzielnica\nz nową linią";1;0;1;;nie'  # lines 41-42 of the file
    lines.append("2000;D0;5;0;1;;nie")  # repeats line 2's key
    lines.append("2001;Zzz;piec;0;1;;nie")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))


def test_a_large_file_streams_in_blocks_and_spills_keys(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(validate, "SAMPLE_BYTES", 4096)
    monkeypatch.setattr(validate, "SPILL_KEYS", 500)
    columns = [
        dictionary.Column("rok", "integer", key=True),
        dictionary.Column("dzielnica", "text", key=True),
        *(c for c in COLUMNS[2:]),
    ]
    source = tmp_path / "duzy.csv"
    _big_file(source, 3000)
    total_lines = 3000 + 1 + 1 + 2  # header, the quoted value's second line, two more rows

    result = validate.validate_file(source, columns, out=tmp_path / "out.csv")

    found = [(p.code, p.row, p.column) for p in result.problems]
    assert found == [
        ("duplicate_key", total_lines - 1, None),
        ("not_integer", total_lines, "ludnosc"),
    ]
    assert "wiersza 2." in result.problems[0].message_pl
    assert result.row_count == 3002
    assert result.detected.encoding == "cp1250"


def test_repeated_keys_are_counted_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "SPILL_KEYS", 100)
    source = tmp_path / "powtorzenia.csv"
    source.write_text("rok;dzielnica\n" + "2021;Centrum\n" * 1000, encoding="utf-8")

    result = validate.validate_file(source, COLUMNS[:2])

    rows = [p.row for p in result.problems if p.code == "duplicate_key"]
    assert rows == list(range(3, 3 + validate.MAX_PER_CODE))
    assert result.omitted == {"duplicate_key": 999 - validate.MAX_PER_CODE}
    assert "wiersza 2." in result.problems[0].message_pl


def test_a_large_valid_file_is_normalised_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "BLOCK_BYTES", 2048)
    source = tmp_path / "duzy.csv"
    _big_file(source, 1200)
    source.write_bytes(source.read_bytes().rsplit(b"\r\n", 3)[0] + b"\r\n")  # the two bad rows
    out = tmp_path / "out.csv"

    columns = [dictionary.Column("rok", "integer"), dictionary.Column("dzielnica"), *COLUMNS[2:]]

    result = validate.validate_file(source, columns, out=out)

    assert result.ok, [p.text for p in result.problems]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 1 + 1200
    assert rows[40] == ["2039", "Dzielnica\nz nową linią", "1", "0", "1", "", "false", ""]
    assert rows[41] == ["2000", "D2", "1040", "-1", "0.5", "", "true", ""]
    assert rows[-1] == ["2019", "D59", "1199", "-1", "0.5", "", "true", ""]


def test_the_column_dictionary():
    resource = {
        "bdom_columns": json.dumps(
            [
                {"name": "Rok", "type": "integer", "required": "true", "key": "true"},
                {"name": "stan", "type": "text", "allowed_values": "tak, nie"},
                {"name": "kwota", "type": "decimal", "unit": "zł", "description": "Kwota"},
                {"type": "text"},
            ]
        )
    }

    found = dictionary.columns_of(resource)

    assert [c.name for c in found] == ["Rok", "stan", "kwota"]
    assert (found[0].required, found[0].key, found[1].key) == (True, True, False)
    assert found[1].allowed_values == ("tak", "nie")
    assert dictionary.year_column(found) is found[0]
    assert dictionary.datastore_fields(found) == [
        {"id": "Rok", "type": "int", "info": {"label": "Rok", "notes": "", "unit": ""}},
        {"id": "stan", "type": "text", "info": {"label": "stan", "notes": "", "unit": ""}},
        {
            "id": "kwota",
            "type": "numeric",
            "info": {"label": "kwota", "notes": "Kwota", "unit": "zł"},
        },
        {
            "id": "znak_gus",
            "type": "text",
            "info": {
                "label": "Znak GUS / Statistics Poland sign",
                "notes": dictionary.datastore_fields([])[0]["info"]["notes"],
                "unit": "",
            },
        },
    ]
    assert dictionary.plain_name(" Ludność  [osoby] ") == "ludnosc"
    assert dictionary.unit_in("Ludność [tys. osób]") == "tys. osób"


def test_cli_with_a_column_file(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out.csv"
    good = runner.invoke(
        validate_command,
        [
            str(CORPUS / "gus_signs.csv"),
            "--columns",
            str(CORPUS / "columns.json"),
            "--out",
            str(out),
        ],
    )
    bad = runner.invoke(
        validate_command,
        [
            str(CORPUS / "years_outside.csv"),
            "--columns",
            str(CORPUS / "columns.json"),
            "--years",
            "2020-2022",
        ],
    )
    report = runner.invoke(
        validate_command,
        [str(CORPUS / "bad_values.xlsx"), "--columns", str(CORPUS / "columns.json"), "--json"],
    )

    assert good.exit_code == 0, good.output
    assert "Wykryto: format CSV, kodowanie Windows-1250, separator: średnik" in good.output
    assert out.read_text(encoding="utf-8") == NORMALISED["gus_signs.csv"]
    assert bad.exit_code == 1
    assert "[wiersz/row 2, kolumna/column „rok”] Rok 2019 nie należy do lat" in bad.output
    assert "The year 2019 is not one of the years asked for (2020–2022)." in bad.output
    assert report.exit_code == 1
    assert json.loads(report.output)["detected"]["sheet"] == "Arkusz1"


def test_cli_needs_a_dictionary(tmp_path):
    result = CliRunner().invoke(validate_command, [str(CORPUS / "gus_signs.csv")])

    assert result.exit_code == 2
    assert "Podaj --dataset albo --columns. / Give --dataset or --columns." in result.output


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_cli_with_a_dataset():
    from tests.factories import DraftDataset

    raw = json.loads((CORPUS / "columns.json").read_text(encoding="utf-8"))
    dataset = DraftDataset(resources=[{"name": "Dane", "url": "", "bdom_columns": raw}])
    path = str(CORPUS / "ok_cp1250_semicolon.csv")
    runner = CliRunner()

    good = runner.invoke(validate_command, [path, "--dataset", dataset["name"]])
    missing = runner.invoke(validate_command, [path, "--dataset", "nie-ma-takiego"])

    assert good.exit_code == 0, good.output
    assert "The file is valid: 4 data rows." in good.output
    assert missing.exit_code == 1
    assert (
        "Nie ma zbioru „nie-ma-takiego”. / There is no dataset “nie-ma-takiego”." in missing.output
    )


def test_numbers_in_excel_scientific_notation_are_written_out(tmp_path):
    header = "rok;dzielnica;ludnosc;saldo_migracji;powierzchnia\n"
    source = tmp_path / "naukowy.csv"
    source.write_text(header + "2021;Centrum;1,2345E+04;-2E1;1,5E-01\n", encoding="cp1250")
    out = tmp_path / "out.csv"

    result = validate.validate_file(source, COLUMNS, out=out)

    assert result.ok, [p.text for p in result.problems]
    written = out.read_text(encoding="utf-8").splitlines()[1]
    assert written.startswith("2021,Centrum,12345,-20,0.15,")
    source.write_text(header + "2022;Centrum;1,5E-01;0;4,5\n", encoding="cp1250")
    refused = validate.validate_file(source, COLUMNS)
    assert [(p.code, p.row, p.column) for p in refused.errors] == [("not_integer", 2, "ludnosc")]
