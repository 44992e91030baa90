"""ISO 37120 catalogue and computation, pure (no CKAN, hand-computed values)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ckanext.bdom.indicators import catalogue
from ckanext.bdom.indicators.compute import (
    IndicatorError,
    Inputs,
    Table,
    compute_all,
    compute_indicator,
    describe,
    territory,
)

REPO = Path(__file__).resolve().parents[1]
CITY, POWIAT = "012414874011", "012414874000"
SLASKIE, POLSKA = "012400000000", "000000000000"
CAT = catalogue.load()


def bdl(*rows) -> pd.DataFrame:
    """Tidy BDL rows: (unit, variable, year, value, measure, flag)."""
    return pd.DataFrame(
        [
            {
                "unit_id": unit,
                "unit_name": {CITY: "Siemianowice Śląskie", POWIAT: "Powiat m. Siemianowice"}.get(
                    unit, unit
                ),
                "variable_id": var,
                "year": year,
                "value": value,
                "measure_unit": measure,
                "flag": flag,
                "dataset": "bdl-test",
                "resource_id": "res-1",
            }
            for unit, var, year, value, measure, flag in rows
        ]
    )


def inputs(bdl_frame=None, tables=None, entries=None) -> Inputs:
    return Inputs(CITY, "Siemianowice Śląskie", bdl_frame, tables or {}, entries)


def series(indicator_id: str, given: Inputs) -> pd.DataFrame:
    return compute_indicator(CAT.indicator(indicator_id), given).rows


def value(frame: pd.DataFrame, unit: str, year: int):
    match = frame[(frame["unit_id"] == unit) & (frame["year"] == year)]
    assert len(match) == 1, frame
    return match.iloc[0]


# --- catalogue ------------------------------------------------------------------


def test_catalogue_has_every_theme_and_indicator_of_the_2018_edition():
    themes = [t for t in CAT.themes if not t.get("profile")]
    assert [t["clause"] for t in themes] == [str(n) for n in range(5, 24)]
    performance = [i for i in CAT.indicators if i["type"] != "profile"]
    assert len(performance) == 104
    assert {i["type"] for i in performance} == {"core", "supporting"}
    assert len([i for i in CAT.indicators if i["type"] == "profile"]) == 37
    for indicator in CAT.indicators:
        assert indicator["name"]["pl"]
        assert indicator["name"]["en"]
        assert indicator["unit"]["pl"]
        assert indicator["formula"]["en"]
        assert indicator["formula"]["pl"]
        assert indicator["availability"] in ("bdl", "city_records", "not_available")


def test_catalogue_keeps_doubts_visible():
    by_clause = {i["clause"]: i for i in CAT.indicators}
    assert by_clause["5.2"]["confidence"] == "confirmed"
    assert by_clause["9.1"]["confidence"] == "uncertain"  # finance: no 2018 source seen
    assert by_clause["7.1"]["type_confirmed"] is False
    assert all(i["confidence"] == "uncertain" for i in CAT.indicators if i["type"] == "profile")


def test_catalogue_themes_are_the_schema_choices():
    presets = yaml.safe_load((REPO / "schemas" / "presets.yaml").read_text(encoding="utf-8"))
    preset = next(p for p in presets["presets"] if p["preset_name"] == "bdom_iso37120_themes")
    choices = {c["value"]: c["label"] for c in preset["values"]["choices"]}
    themes = {t["id"]: t["name"] for t in CAT.themes if not t.get("profile")}
    assert choices == themes


def test_catalogue_reads_only_bdl_variables_of_the_harvester_default_set():
    default_set = json.loads((REPO / "harvesters" / "bdl" / "default_set.json").read_text())
    harvested = {v["id"]: v for t in default_set["topics"] for v in t["variables"]}
    for indicator in CAT.indicators:
        for term in catalogue.terms(indicator):
            if "bdl_variable" in term:
                variable = harvested[term["bdl_variable"]]
                assert term["level"] == variable["level"], indicator["id"]
                assert term["measure"] == variable["measureUnitName"], indicator["id"]


def test_every_indicator_says_how_it_is_computed_or_why_not():
    for indicator in CAT.indicators:
        compute = indicator["compute"]
        if compute["kind"] == "none":
            assert compute["reason"]["pl"].startswith("brak danych")
        elif compute["kind"] == "steward":
            assert compute["requires"]["pl"]


def test_a_malformed_catalogue_names_the_indicator():
    with pytest.raises(catalogue.CatalogueError, match="x:1"):
        catalogue.parse(
            {
                "themes": [{"id": "t"}],
                "indicators": [
                    {
                        "id": "x:1",
                        "clause": "1",
                        "theme": "t",
                        "type": "core",
                        "availability": "bdl",
                        "confidence": "confirmed",
                        "name": {"pl": "a", "en": "a"},
                        "unit": {"pl": "%", "en": "%"},
                        "compute": {"kind": "formula", "numerator": [{"bdl_variable": 1}]},
                    }
                ],
            }
        )


# --- formulas -------------------------------------------------------------------


def test_ratio_of_two_bdl_variables_for_the_city_and_comparison_units():
    given = inputs(
        bdl(
            (CITY, 8, 2018, 7, "osoba", ""),
            (CITY, 6, 2018, 25, "osoba", ""),
            (SLASKIE, 8, 2018, 1200, "osoba", ""),
            (SLASKIE, 6, 2018, 4800, "osoba", ""),
        )
    )
    frame = series("10.1", given)
    assert value(frame, CITY, 2018)["value"] == pytest.approx(28.0)  # 100 × 7 / 25
    assert value(frame, CITY, 2018)["unit_role"] == "city"
    assert value(frame, SLASKIE, 2018)["value"] == pytest.approx(25.0)  # 100 × 1200 / 4800
    assert value(frame, SLASKIE, 2018)["unit_role"] == "voivodeship"
    sources = json.loads(value(frame, CITY, 2018)["sources"])
    assert {(s["variable_id"], s["year"], s["dataset"]) for s in sources} == {
        (8, 2018, "bdl-test"),
        (6, 2018, "bdl-test"),
    }
    assert "BDL 8" in value(frame, CITY, 2018)["formula"]


def test_scaled_value_per_10_thousand_becomes_per_100_thousand():
    frame = series("5.5", inputs(bdl((CITY, 60530, 2020, 1234.5, "-", ""))))
    assert value(frame, CITY, 2020)["value"] == pytest.approx(12345.0)
    assert value(frame, CITY, 2020)["unit"] == "na 100 tys. mieszkańców"


def test_powiat_variable_of_a_city_with_powiat_rights_belongs_to_the_city():
    assert territory(POWIAT) == CITY
    assert territory("012414001000") == "012414001000"  # an ordinary powiat
    frame = series(
        "5.1", inputs(bdl((POWIAT, 79214, 2022, 5.3, "%", ""), (POLSKA, 79214, 2022, 5.2, "%", "")))
    )
    assert value(frame, CITY, 2022)["value"] == pytest.approx(5.3)
    assert value(frame, POLSKA, 2022)["unit_role"] == "country"


def test_gmina_and_powiat_variables_of_the_city_combine():
    # jobs (gmina) / dwellings (gmina) with the powiat unit carrying one of them
    frame = series(
        "21.3",
        inputs(
            bdl(
                (CITY, 1735396, 2023, 18000, "osoba", ""),
                (POWIAT, 60811, 2023, 30000, "mieszk.", ""),
            )
        ),
    )
    assert value(frame, CITY, 2023)["value"] == pytest.approx(0.6)


def test_portal_table_column_over_bdl_population():
    table = Table(
        pd.DataFrame({"rok": [2015, 2016], "dlugosc_sciezek_rowerowych_km": ["8.4", "9.1"]}),
        "sciezki-rowerowe",
        "res-bike",
    )
    given = inputs(
        bdl((CITY, 72305, 2015, 67948, "osoba", ""), (CITY, 72305, 2016, 67602, "osoba", "")),
        {"sciezki-rowerowe": [table]},
    )
    frame = series("19.4", given)
    assert value(frame, CITY, 2016)["value"] == pytest.approx(9.1 * 100_000 / 67602)
    assert value(frame, CITY, 2015)["value"] == pytest.approx(8.4 * 100_000 / 67948)
    sources = json.loads(value(frame, CITY, 2016)["sources"])
    assert sources[0] == {
        "source": "datastore",
        "dataset": "sciezki-rowerowe",
        "resource_id": "res-bike",
        "column": "dlugosc_sciezek_rowerowych_km",
        "year": 2016,
        "value": 9.1,
    }


def test_two_columns_of_one_table():
    table = Table(
        pd.DataFrame(
            {"rok": [2024], "wydatki_majatkowe_mln_zl": [50.0], "wydatki_ogolem_mln_zl": [400.0]}
        ),
        "budzet-miasta",
    )
    frame = series("9.2", inputs(tables={"budzet-miasta": [table]}))
    assert value(frame, CITY, 2024)["value"] == pytest.approx(12.5)


def test_yearly_change():
    frame = series(
        "A.9",
        inputs(
            bdl(
                (CITY, 72305, 2015, 67948, "osoba", ""),
                (CITY, 72305, 2016, 67602, "osoba", ""),
                (CITY, 72305, 2017, 67000, "osoba", "x"),
            )
        ),
    )
    assert list(frame["year"]) == [2016, 2017]
    assert value(frame, CITY, 2016)["value"] == pytest.approx(100 * (67602 - 67948) / 67948)
    assert value(frame, CITY, 2017)["status"] == "missing"


def test_steward_entries_and_not_computable_indicators():
    entries = pd.DataFrame(
        [
            {
                "indicator": "iso37120-2018:15.1",
                "year": "2023",
                "value": "61",
                "source": "KM PSP",
                "note": "",
            },
            {"indicator": "15.1", "year": "2024", "value": "n/d", "source": "KM PSP", "note": ""},
        ]
    )
    frame = series("15.1", inputs(entries=entries))
    assert value(frame, CITY, 2023)["value"] == pytest.approx(61.0)
    assert value(frame, CITY, 2024)["status"] == "missing"
    empty = compute_indicator(CAT.indicator("15.4"), inputs())
    assert empty.rows.empty
    assert empty.reason.startswith("wymaga danych z: Komenda Miejska Policji")
    assert compute_indicator(CAT.indicator("13.1"), inputs()).reason.startswith("brak danych")


# --- missing, flagged and wrong inputs ----------------------------------------------


def test_missing_and_flagged_inputs_give_missing_values_with_a_reason():
    given = inputs(
        bdl(
            (CITY, 8, 2018, None, "osoba", "brak"),
            (CITY, 6, 2018, 25, "osoba", ""),
            (CITY, 8, 2019, 6, "osoba", "k"),
            (CITY, 6, 2019, 25, "osoba", ""),
            (CITY, 8, 2020, 6, "osoba", "s"),
            (CITY, 6, 2020, 24, "osoba", ""),
            (CITY, 8, 2021, 6, "osoba", ""),  # no denominator row for 2021
        )
    )
    frame = series("10.1", given)
    missing = value(frame, CITY, 2018)
    assert missing["status"] == "missing"
    assert pd.isna(missing["value"])
    assert "brak wartości w BDL" in missing["reason"]
    flagged = value(frame, CITY, 2019)
    assert pd.isna(flagged["value"])
    assert "„k”" in flagged["reason"]
    preliminary = value(frame, CITY, 2020)
    assert preliminary["value"] == pytest.approx(25.0)
    assert "szacunkowa" in preliminary["note"]
    assert "BDL 6" in value(frame, CITY, 2021)["reason"]


def test_no_input_data_says_which_input_is_missing():
    outcome = compute_indicator(CAT.indicator("19.4"), inputs())
    assert outcome.rows.empty
    assert "sciezki-rowerowe" in outcome.reason


def test_zero_denominator_is_an_error_naming_the_indicator():
    given = inputs(bdl((CITY, 8, 2018, 0, "osoba", ""), (CITY, 6, 2018, 0, "osoba", "")))
    with pytest.raises(IndicatorError, match=r"iso37120-2018:10\.1: mianownik równy zero"):
        series("10.1", given)


def test_unit_mismatch_is_an_error_naming_the_indicator():
    with pytest.raises(IndicatorError, match=r"iso37120-2018:A\.1: niezgodne jednostki"):
        series("A.1", inputs(bdl((CITY, 72305, 2018, 5.1, "%", ""))))


def test_units_are_converted():
    frame = series("A.1", inputs(bdl((CITY, 72305, 2018, 67.602, "tys. osób", ""))))
    assert value(frame, CITY, 2018)["value"] == pytest.approx(67602)
    assert "tys. osób × 1000" in value(frame, CITY, 2018)["sources"]
    table = Table(
        pd.DataFrame({"rok": [2020], "odpady_ogolem_t": [22_000_000]}),
        "odpady-komunalne",
        measures={"odpady_ogolem_t": "kg"},
    )
    given = inputs(bdl((CITY, 72305, 2020, 66000, "osoba", "")), {"odpady-komunalne": [table]})
    assert value(series("16.2", given), CITY, 2020)["value"] == pytest.approx(22_000 / 66000)


def test_compute_all_reports_errors_and_goes_on():
    given = inputs(
        bdl(
            (CITY, 8, 2018, 1, "osoba", ""),
            (CITY, 6, 2018, 0, "osoba", ""),
            (CITY, 72305, 2018, 66000, "osoba", ""),
        )
    )
    done = []
    results = compute_all(CAT.indicators, given, progress=done.append)
    assert len(done) == len(CAT.indicators)
    assert list(results.errors) == ["iso37120-2018:10.1"]
    assert set(results.rows["indicator_id"]) == {"iso37120-2018:A.1"}


def test_formula_in_words():
    assert describe(CAT.indicator("10.1")) == (
        "100 × Radni gmin: kobiety [BDL 8] / Radni gmin: ogółem [BDL 6]"
    )
    assert describe(CAT.indicator("15.1")) == ""


def test_chart_data():
    from ckanext.bdom.indicators.chart import bar_chart, latest_comparison, line_chart

    series = [
        {
            "unit_id": CITY,
            "unit_name": "S",
            "unit_role": "city",
            "year": 2017,
            "value": 20.0,
            "status": "ok",
        },
        {
            "unit_id": CITY,
            "unit_name": "S",
            "unit_role": "city",
            "year": 2018,
            "value": 28.0,
            "status": "ok",
        },
        {
            "unit_id": SLASKIE,
            "unit_name": "Ś",
            "unit_role": "voivodeship",
            "year": 2018,
            "value": 25.0,
            "status": "ok",
        },
        {
            "unit_id": CITY,
            "unit_name": "S",
            "unit_role": "city",
            "year": 2019,
            "value": None,
            "status": "missing",
        },
    ]
    comparison = latest_comparison(series)
    assert (comparison["year"], comparison["value"], comparison["trend"]) == (2018, 28.0, "up")
    assert comparison["voivodeship"]["value"] == 25.0
    drawn = line_chart(series)
    assert [line["label"] for line in drawn["lines"]] == ["S", "Ś"]
    assert [tick["label"] for tick in drawn["x_ticks"]] == [2017, 2018]
    bars = bar_chart(series, 2018)["bars"]
    assert [(b["label"], b["value"]) for b in bars] == [("S", 28.0), ("Ś", 25.0)]
    assert bars[0]["width"] > bars[1]["width"]
    assert line_chart([]) is None


def test_resource_view_panels_of_tidy_and_wide_tables():
    from ckanext.bdom.indicators.resource_view import panels

    tidy_fields = [{"id": c} for c in ("unit_id", "unit_name", "variable_id", "year", "value")]
    tidy_rows = [
        {
            "unit_id": CITY,
            "unit_name": "S",
            "variable_id": 6,
            "variable_name": "Radni",
            "year": y,
            "value": v,
        }
        for y, v in ((2018, 25), (2019, None), (2020, 25))
    ] + [
        {
            "unit_id": SLASKIE,
            "unit_name": "Ś",
            "variable_id": 6,
            "variable_name": "Radni",
            "year": 2018,
            "value": 4800,
        }
    ]
    (panel,) = panels(tidy_fields, tidy_rows)
    assert panel["title"] == "Radni"
    assert panel["labels"] == ["S", "Ś"]
    assert [row["year"] for row in panel["table"]] == [2018, 2020]
    assert panel["table"][0]["values"] == [25.0, 4800.0]
    wide = panels(
        [
            {"id": "rok", "type": "int"},
            {"id": "km", "type": "numeric"},
            {"id": "opis", "type": "text"},
        ],
        [{"rok": 2015, "km": "8.4", "opis": "a"}, {"rok": 2016, "km": "9.1", "opis": "b"}],
    )
    assert [p["title"] for p in wide] == ["km"]
    assert wide[0]["summaries"][0]["last"]["value"] == 9.1
    assert panels([{"id": "nazwa", "type": "text"}], [{"nazwa": "x"}]) == []
