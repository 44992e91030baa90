"""The BDL mapping (pure functions), the request plan and the source
configuration's validation. No CKAN, no HTTP."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from ckanext.bdom.harvesters.bdl import collect, mapping, source_config
from ckanext.bdom.harvesters.bdl.mapping import Topic, Variable

GMINA, POWIAT, SLASKIE, POLSKA = "012414874011", "012414874000", "012400000000", "000000000000"
DENSITY = Variable(60559, "Ludność na 1 km²", level=6, measure="osoba/km²")
WAGE = Variable(64428, "Przeciętne wynagrodzenie", level=5, measure="zł")


def result(var_id, *values, updated="2025-05-14T15:05:15.743"):
    return {
        "id": var_id,
        "measureUnitId": 26,
        "lastUpdate": updated,
        "values": [{"year": str(y), "val": v, "attrId": a} for y, v, a in values],
    }


@pytest.mark.parametrize("attr", [0, 4, 14, 15, 50, 91])
def test_no_data_codes_become_empty_never_zero(attr):
    value, flag = mapping.value_of({"year": "2024", "val": 0, "attrId": attr})
    assert value is None
    assert flag


def test_values_keep_their_precision_and_flags():
    assert mapping.value_of({"val": 2549.5, "attrId": 1}) == (Decimal("2549.5"), "")
    assert mapping.value_of({"val": 0, "attrId": 94}) == (Decimal("0"), "z")  # a true zero
    assert mapping.value_of({"val": 64129, "attrId": 9}) == (Decimal("64129"), "s")
    with pytest.raises(mapping.MalformedPayloadError):
        mapping.value_of({"val": {"x": 1}, "attrId": 1})


def test_tidy_rows_keep_unit_ids_as_strings_years_as_ints_and_filter_years():
    results = [
        result(60559, (2019, 2610.2, 1), (2023, 0, 50), (2024, 2549.5, 9)),
        result(999, (2024, 1, 1)),  # a variable we did not ask for
    ]
    rows = mapping.tidy_rows(
        "12414874011", "Siemianowice Śląskie", results, {60559: DENSITY}, years=(2020, None)
    )
    assert [(r["unit_id"], r["year"], r["value"], r["flag"]) for r in rows] == [
        (GMINA, 2023, None, "n"),
        (GMINA, 2024, Decimal("2549.5"), "s"),
    ]
    assert rows[0]["variable_name"] == "Ludność na 1 km²"
    assert rows[0]["measure_unit"] == "osoba/km²"
    assert isinstance(rows[0]["year"], int)


@pytest.mark.parametrize(
    "broken",
    [
        {"measureUnitId": 26, "values": []},  # no id
        {"id": 60559},  # no values (the fixture server's missing-field fault)
        {"id": 60559, "values": [{"val": 1, "attrId": 1}]},  # no year
        {"id": 60559, "values": [{"year": "dwa", "val": 1, "attrId": 1}]},
    ],
)
def test_a_malformed_record_is_an_error_not_a_silent_gap(broken):
    with pytest.raises(mapping.MalformedPayloadError):
        mapping.tidy_rows(GMINA, "x", [broken], {60559: DENSITY})


def test_unknown_fields_are_ignored():
    record = {**result(60559, (2024, 1, 1)), "newField": {"a": 1}}
    assert len(mapping.tidy_rows(GMINA, "x", [record], {60559: DENSITY})) == 1


def test_csv_is_utf8_tidy_with_empty_cells_for_no_data():
    rows = mapping.tidy_rows(
        GMINA,
        "Siemianowice Śląskie",
        [result(60559, (2023, 0, 4), (2024, 2549.50, 1))],
        {60559: DENSITY},
    )
    payload = mapping.rows_to_csv(mapping.sort_rows(rows))
    parsed = list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))
    assert list(parsed[0]) == list(mapping.COLUMNS)
    assert parsed[0]["unit_id"] == GMINA
    assert parsed[0]["value"] == ""
    assert parsed[1]["value"] == "2549.5"
    assert parsed[1]["unit_name"] == "Siemianowice Śląskie"
    assert mapping.rows_from_json(json.loads(json.dumps(mapping.rows_to_json(rows)))) == rows


def test_changes_say_which_values_moved():
    old = mapping.tidy_rows(
        GMINA, "x", [result(60559, (2023, 1, 1), (2024, 2, 1))], {60559: DENSITY}
    )
    new = mapping.tidy_rows(
        GMINA, "x", [result(60559, (2023, 1, 1), (2024, 3, 1))], {60559: DENSITY}
    )
    assert mapping.changes(old, new) == [f"60559 {GMINA} 2024: 2 → 3"]
    assert mapping.changes(old, old) == []


def test_dataset_dict_fills_the_bdom_schema():
    topic = Topic.from_catalogue(source_config.catalogue()[0])
    rows = mapping.tidy_rows(
        GMINA,
        "Siemianowice Śląskie",
        [result(72305, (2015, 66500, 1), (2024, 64129, 9)), result(60559, (2024, 0, 50))],
        {v.id: v for v in topic.variables},
    )
    dataset = mapping.dataset_dict(
        topic,
        rows,
        {72305: "2025-05-14T15:05:15"},
        "gus",
        "2474011",
        discontinued=[746291],
        notice="Dane demonstracyjne.",
    )
    assert dataset["owner_org"] == "gus"
    assert dataset["frequency"].endswith("/frequency/ANNUAL")
    assert all(
        t.startswith("http://publications.europa.eu/resource/authority/data-theme/")
        for t in dataset["theme"]
    )
    assert dataset["temporal_coverage"] == [{"start": "2015-01-01", "end": "2024-12-31"}]
    assert dataset["bdom_reference_period"] == "2024"
    assert dataset["bdom_source"] == "gus_bdl"
    assert "https://bdl.stat.gov.pl/api/v1/variables/72305" in dataset["notes"]
    assert "Dane demonstracyjne." in dataset["notes"]
    assert "746291" in dataset["bdom_bdl_discontinued"]
    assert "osoba" in dataset["bdom_unit_of_measure"]
    assert "`s`" in dataset["bdom_methodology"]  # the flags used are explained
    resource = mapping.resource_dict(topic, rows, {72305: "2025-05-14T15:05:15"})
    assert resource["bdom_data_updated"] == "2025-05-14"
    assert resource["format"] == "CSV"
    assert [c["name"] for c in resource["bdom_columns"]] == list(mapping.COLUMNS)


def test_each_variable_is_asked_of_the_city_unit_at_its_level_and_every_comparison_unit():
    config = source_config.SourceConfig()
    assert collect.units_for(DENSITY, config) == [GMINA, SLASKIE, POLSKA]
    assert collect.units_for(WAGE, config) == [POWIAT, SLASKIE, POLSKA]
    assert [mapping.unit_level(u) for u in (POLSKA, SLASKIE, POWIAT, GMINA)] == [0, 2, 5, 6]
    topics = collect.build_topics(config)
    plan = collect.request_plan(topics, config)
    variables = {v.id for t in topics for v in t.variables}
    assert set(plan[SLASKIE]) == variables == set(plan[POLSKA])
    assert set(plan[GMINA]) | set(plan[POWIAT]) == variables
    assert not set(plan[GMINA]) & set(plan[POWIAT])
    assert collect.minimum_requests(plan, 50) == 4


def test_the_default_set_covers_the_city_profile_with_real_ids():
    topics = source_config.catalogue()
    keys = [t["key"] for t in topics]
    assert len(keys) == len(set(keys))
    assert {"ludnosc", "rynek-pracy", "mieszkalnictwo", "finanse-publiczne"} <= set(keys)
    ids = [v["id"] for t in topics for v in t["variables"]]
    assert len(ids) == len(set(ids))
    assert {72305, 60559} <= set(ids)
    assert 3643 not in ids  # not population, whatever public scripts say


def test_config_defaults():
    config = source_config.parse("")
    assert config.units == [GMINA, POWIAT]
    assert config.comparison_units == [SLASKIE, POLSKA]
    assert config.topics is None
    assert config.publish is True
    assert source_config.parse('{"topics": "all", "publish": false}').publish is False


@pytest.mark.parametrize(
    ("text", "polish", "english"),
    [
        ("{", "nie jest poprawnym JSON-em", "not valid JSON"),
        ("[1]", "obiektem JSON", "JSON object"),
        ('{"unit": []}', "Nieznane klucze", "Unknown configuration keys"),
        ('{"units": ["12414874011"]}', "12 cyfr", "12 digits"),
        ('{"units": [12414874011]}', "w cudzysłowie", "quoted"),
        ('{"units": []}', "co najmniej jedną", "at least one"),
        ('{"topics": ["ludnosc", "pogoda"]}', "Nieznane tematy: pogoda", "Unknown topics: pogoda"),
        ('{"variables": ["60559"]}', "liczb dodatnich", "positive numbers"),
        ('{"subjects": ["K3"]}', "podgrup BDL", "BDL subgroups"),
        ('{"year_from": 1990}', "od 1995", "from 1995"),
        ('{"year_from": 2020, "year_to": 2019}', "późniejszy", "after"),
        ('{"lang": "de"}', '"pl" albo "en"', '"pl" or "en"'),
        ('{"publish": "tak"}', "true albo false", "true or false"),
        ('{"topics": []}', "Nie wybrano", "Nothing selected"),
    ],
)
def test_config_errors_are_bilingual(text, polish, english):
    with pytest.raises(source_config.ConfigError) as error:
        source_config.parse(text)
    message = str(error.value)
    assert polish in message
    assert english in message
    assert " / " in message
