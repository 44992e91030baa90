"""ISO 37120 indicators in CKAN: published DataStore inputs, the results
dataset, the CLI, the recompute job and the public API."""

from __future__ import annotations

import json

import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.xloader.interfaces import IXloader

from tests.factories import BdomDataset, DraftDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

CITY, POWIAT, SLASKIE = "012414874011", "012414874000", "012400000000"
TIDY_FIELDS = [
    {"id": "unit_id", "type": "text"},
    {"id": "unit_name", "type": "text"},
    {"id": "variable_id", "type": "numeric"},
    {"id": "variable_name", "type": "text"},
    {"id": "year", "type": "numeric"},
    {"id": "value", "type": "numeric"},
    {"id": "measure_unit", "type": "text"},
    {"id": "flag", "type": "text"},
]


def tidy(unit, variable, year, value, measure="osoba", flag=""):
    """A row as the BDL harvester writes it (harvesters/bdl/mapping.py COLUMNS)."""
    return {
        "unit_id": unit,
        "unit_name": {CITY: "Siemianowice Śląskie", SLASKIE: "ŚLĄSKIE"}.get(unit, unit),
        "variable_id": variable,
        "variable_name": f"zmienna {variable}",
        "year": year,
        "value": value,
        "measure_unit": measure,
        "flag": flag,
    }


def sysadmin() -> dict:
    return {"user": factories.Sysadmin()["name"]}


def table(dataset: dict, fields: list[dict], records: list[dict], name: str = "Dane") -> str:
    created = helpers.call_action(
        "datastore_create",
        sysadmin(),
        resource={"package_id": dataset["id"], "name": name, "format": "CSV"},
        fields=fields,
        records=records,
        force=True,
    )
    return created["resource_id"]


def bdl_dataset(records: list[dict], factory=BdomDataset, **kwargs) -> dict:
    dataset = factory(bdom_source="gus_bdl", **kwargs)
    return {**dataset, "table": table(dataset, TIDY_FIELDS, records, "BDL (CSV)")}


@pytest.fixture
def world():
    org = Steward(name="glowny-urzad-statystyczny")
    councillors = bdl_dataset(
        [
            tidy(CITY, 8, 2018, 7),
            tidy(CITY, 6, 2018, 25),
            tidy(SLASKIE, 8, 2018, 1200),
            tidy(SLASKIE, 6, 2018, 4800),
            tidy(CITY, 8, 2019, None, flag="brak"),
            tidy(CITY, 6, 2019, 25),
        ],
        name="bdl-radni",
        owner_org=org["id"],
    )
    population = bdl_dataset(
        [tidy(CITY, 72305, 2016, 67602), tidy(CITY, 72305, 2017, 67000)],
        name="bdl-ludnosc",
        owner_org=org["id"],
    )
    # a harvested dataset the officer has not published: feeds nothing public
    draft = bdl_dataset(
        [tidy(CITY, 60530, 2020, 1234.5, "-"), tidy(CITY, 72305, 2018, 1)],
        factory=DraftDataset,
        name="bdl-regon",
        owner_org=org["id"],
    )
    bikes = BdomDataset(name="sciezki-rowerowe", owner_org=org["id"])
    table(
        bikes,
        [{"id": "rok", "type": "int"}, {"id": "dlugosc_sciezek_rowerowych_km", "type": "numeric"}],
        [{"rok": 2016, "dlugosc_sciezek_rowerowych_km": 9.1}],
    )
    return {
        "councillors": councillors,
        "population": population,
        "draft": draft,
        "bikes": bikes,
    }


def recompute_jobs() -> int:
    from ckan.lib import jobs

    return sum(
        1 for job in jobs.get_queue().jobs if job.func_name.endswith("bdom_indicators_recompute")
    )


def compute(cli) -> str:
    result = cli.invoke(ckan_cli, ["bdom", "indicators", "compute"])
    assert result.exit_code == 0, result.output
    return result.output


def api(app, action: str, status: int = 200, **params):
    response = app.get(f"/api/3/action/{action}", query_string=params, status=status)
    return response.json


def point(series: list[dict], unit: str, year: int) -> dict:
    found = [r for r in series if r["unit_id"] == unit and r["year"] == year]
    assert len(found) == 1, series
    return found[0]


def test_cli_computes_published_data_into_the_public_api(world, cli, app):
    assert "iso37120-wskazniki" in compute(cli)

    # the results dataset is public and holds every value with its provenance
    dataset = api(app, "package_show", id="iso37120-wskazniki")["result"]  # anonymous
    assert dataset["title"] == "ISO 37120 — wskaźniki"
    assert {r["name"] for r in dataset["resources"]} == {"Wartości wskaźników", "Stan wskaźników"}
    values = next(r for r in dataset["resources"] if r["name"] == "Wartości wskaźników")
    rows = api(app, "datastore_search", resource_id=values["id"], limit=1000)["result"]["records"]
    women = [r for r in rows if r["indicator_id"] == "iso37120-2018:10.1" and r["year"] == 2018]
    assert {r["unit_id"]: float(r["value"]) for r in women} == {CITY: 28.0, SLASKIE: 25.0}
    assert json.loads(women[0]["sources"])[0]["dataset"] == "bdl-radni"

    _show_gives_definition_and_series_with_provenance(app)
    _portal_table_and_bdl_population_combine(app)
    _only_published_data_feeds_public_indicators(app)
    _list_filters_by_theme_type_and_data(app)
    _theme_list_counts_indicators_with_data(app)
    _pages_for_anonymous_users(app)
    _yearly_report(app)


def _show_gives_definition_and_series_with_provenance(app):
    shown = api(app, "bdom_indicator_show", id="10.1")["result"]

    assert shown["id"] == "iso37120-2018:10.1"
    assert shown["name"]["pl"] == "Kobiety jako % osób wybranych do władz miasta"
    assert shown["confidence"] == "confirmed"
    assert shown["formula_computed"]["pl"].startswith("100 × Radni gmin: kobiety [BDL 8]")
    assert shown["status"] == "ok"
    assert shown["latest_year"] == 2018
    city = point(shown["series"], CITY, 2018)
    assert float(city["value"]) == pytest.approx(28.0)
    assert city["unit_role"] == "city"
    assert {(s["variable_id"], s["dataset"]) for s in city["sources"]} == {
        (8, "bdl-radni"),
        (6, "bdl-radni"),
    }
    missing = point(shown["series"], CITY, 2019)
    assert missing["status"] == "missing"
    assert missing["value"] is None
    assert "brak wartości w BDL" in missing["reason"]
    assert float(point(shown["series"], SLASKIE, 2018)["value"]) == pytest.approx(25.0)


def _portal_table_and_bdl_population_combine(app):
    shown = api(app, "bdom_indicator_show", id="iso37120-2018:19.4")["result"]

    value = point(shown["series"], CITY, 2016)
    assert float(value["value"]) == pytest.approx(9.1 * 100_000 / 67602)
    assert {s["source"] for s in value["sources"]} == {"datastore", "bdl"}


def _only_published_data_feeds_public_indicators(app):
    regon = api(app, "bdom_indicator_show", id="5.5")["result"]
    assert regon["series"] == []
    assert regon["status"] == "no_data"
    assert "60530" in regon["reason"]
    population = api(app, "bdom_indicator_show", id="A.1")["result"]["series"]
    assert {r["year"] for r in population} == {2016, 2017}  # not the draft's 2018


def _list_filters_by_theme_type_and_data(app):
    governance = api(app, "bdom_indicator_list", theme="iso37120-2018:10")["result"]
    assert [i["clause"] for i in governance] == ["10.1", "10.2", "10.3", "10.4"]
    with_data = api(app, "bdom_indicator_list", with_data="true")["result"]
    assert {i["clause"] for i in with_data} == {"10.1", "19.4", "A.1", "A.9"}
    profile = api(app, "bdom_indicator_list", type="profile")["result"]
    assert len(profile) == 37
    police = next(i for i in api(app, "bdom_indicator_list")["result"] if i["clause"] == "15.4")
    assert police["reason"].startswith("wymaga danych z: Komenda Miejska Policji")
    assert api(app, "bdom_indicator_list", status=409, theme="nope")["success"] is False


def _theme_list_counts_indicators_with_data(app):
    themes = api(app, "bdom_indicator_theme_list")["result"]

    assert len(themes) == 20
    assert sum(t["indicators"] for t in themes) == 141
    governance = next(t for t in themes if t["id"] == "iso37120-2018:10")
    assert (governance["indicators"], governance["with_data"]) == (4, 1)
    assert governance["name"]["pl"] == "Zarządzanie (władze miasta)"


def _pages_for_anonymous_users(app):
    dashboard = app.get("/wskazniki").get_data(as_text=True)
    assert 'href="/wskazniki">Wskaźniki</a>' in dashboard  # in the header of every page
    assert "Zarządzanie (władze miasta)" in dashboard
    assert "<strong>28</strong>" in dashboard  # 10.1 for the city, 2018
    assert "Województwo: 25" in dashboard or "Voivodeship: 25" in dashboard
    theme = app.get("/wskazniki/10").get_data(as_text=True)
    assert "10.2" in theme
    assert "Gospodarka" not in theme.split("</nav>")[-1]
    page = app.get("/wskazniki/10.1").get_data(as_text=True)
    assert page.count('role="img"') == 2  # the time series and the comparison
    assert "<table" in page
    assert "/dataset/bdl-radni" in page
    assert "datastore/dump/" in page
    app.get("/wskazniki/99.9", status=404)
    dataset_page = app.get("/dataset/bdl-radni").get_data(as_text=True)
    assert 'href="/wskazniki/10.1"' in dataset_page
    bikes_page = app.get("/dataset/sciezki-rowerowe").get_data(as_text=True)
    assert 'href="/wskazniki/19.4"' in bikes_page
    # the bdom_indicator_view resource view charts the yearly table
    bikes = helpers.call_action("package_show", id="sciezki-rowerowe")
    resource = bikes["resources"][0]
    view = helpers.call_action(
        "resource_view_create",
        sysadmin(),
        resource_id=resource["id"],
        view_type="bdom_indicator_view",
        title="Wykres",
    )
    shown = app.get(f"/dataset/sciezki-rowerowe/resource/{resource['id']}/view/{view['id']}")
    html = shown.get_data(as_text=True)
    assert "<polyline" in html
    assert "dlugosc_sciezek_rowerowych_km" in html


def _yearly_report(app):
    import io

    from openpyxl import load_workbook

    page = app.get("/wskazniki/raport").get_data(as_text=True)
    assert "Kobiety jako % osób wybranych do władz miasta" in page
    assert "Komenda Miejska Policji" in page  # who could supply 15.4
    lines = app.get("/wskazniki/raport.csv", query_string={"rok": 2018}).get_data(as_text=True)
    women = next(line for line in lines.splitlines() if line.startswith("10.1,"))
    assert ",2018,28.0," in women
    bikes = next(line for line in lines.splitlines() if line.startswith("19.4,"))
    assert ",brak wartości," in bikes  # 2016 only
    xlsx = app.get("/wskazniki/raport.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(xlsx))["ISO 37120"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["19.4"][4:6] == (2016, pytest.approx(9.1 * 100_000 / 67602))
    assert len(rows) == 141


def test_api_before_any_computation_explains_every_indicator(app):
    assert api(app, "bdom_indicator_show", status=404, id="99.9")["success"] is False
    listed = api(app, "bdom_indicator_list")["result"]
    assert len(listed) == 141
    assert all(i["status"] == "no_data" and i["reason"] for i in listed)


@pytest.mark.ckan_config("ckanext.bdom.indicators.quiet_seconds", 0)
@pytest.mark.usefixtures("with_test_worker")
def test_a_change_of_a_source_dataset_recomputes_in_a_background_job(world, app):
    from ckan.lib import jobs

    # the harvest-like creation of the sources queued one job
    assert recompute_jobs() == 1
    jobs.Worker().work(burst=True)
    shown = api(app, "bdom_indicator_show", id="10.1")["result"]
    assert shown["latest_year"] == 2018

    resource_id = world["councillors"]["table"]
    helpers.call_action(
        "datastore_upsert",
        sysadmin(),
        resource_id=resource_id,
        records=[tidy(CITY, 8, 2020, 10), tidy(CITY, 6, 2020, 25)],
        method="insert",
        force=True,
    )
    # as xloader does after a load: the resource is updated
    helpers.call_action("resource_patch", sysadmin(), id=resource_id, description="nowe dane")
    helpers.call_action("resource_patch", sysadmin(), id=resource_id, description="jeszcze raz")
    assert recompute_jobs() == 1  # debounced: one job for both changes
    jobs.Worker().work(burst=True)

    shown = api(app, "bdom_indicator_show", id="10.1")["result"]
    assert float(point(shown["series"], CITY, 2020)["value"]) == pytest.approx(40.0)
    assert shown["latest_year"] == 2020


def test_a_change_of_an_unrelated_dataset_does_not_recompute():

    BdomDataset(name="toalety-publiczne")
    assert recompute_jobs() == 0
    # xloader has loaded a harvested BDL file into the DataStore
    for plugin in p.PluginImplementations(IXloader):
        plugin.after_upload({}, {"id": "r"}, {"name": "bdl-ludnosc", "bdom_source": "gus_bdl"})
    assert recompute_jobs() == 1


def test_dataset_indicator_codes_come_from_the_catalogue():
    dataset = BdomDataset(bdom_iso37120_indicators=["iso37120-2018:19.4"])
    assert dataset["bdom_iso37120_indicators"] == ["iso37120-2018:19.4"]
    with pytest.raises(tk.ValidationError, match="iso37120-2018:99.9"):
        BdomDataset(bdom_iso37120_indicators=["iso37120-2018:99.9"])


def _steward_indicator() -> dict:
    from ckanext.bdom.indicators import config

    return next(
        i for i in config.indicator_catalogue().indicators if i["compute"]["kind"] == "steward"
    )


def test_a_steward_enters_a_yearly_value_that_feeds_its_indicator(world, cli, app):
    from tests.actors import Actors

    coordinator, outsider = factories.UserWithToken(), factories.UserWithToken()
    Steward(users=[{"name": coordinator["name"], "capacity": "editor"}], title="MOPS")
    people = Actors({"coordinator": coordinator, "outsider": outsider}, app)
    indicator = _steward_indicator()
    page = f"/wskazniki/{indicator['clause']}/wprowadz"
    compute(cli)
    assert page in people.page("coordinator", f"/wskazniki/{indicator['clause']}").get_data(
        as_text=True
    )
    assert page not in people.page("outsider", f"/wskazniki/{indicator['clause']}").get_data(
        as_text=True
    )

    assert people.page("outsider", page).status_code == 403
    assert people.page("anonymous", page).status_code == 403
    bad = people.post(
        "coordinator", page, {"year": "dwa tysiące", "value": "dużo", "source": ""}
    ).get_data(as_text=True)
    assert "Podaj rok liczbą" in bad
    assert "Give the year as a number" in bad
    assert "Podaj wartość liczbą" in bad
    assert "Podaj źródło wartości" in bad
    assert 'aria-invalid="true"' in bad
    assert "iso37120-dane-gestorow" not in json.dumps(api(app, "package_list")["result"])

    for value in ("1 250,5", "1300"):  # the same year again replaces its value
        saved = people.post(
            "coordinator", page, {"year": "2023", "value": value, "source": "Sprawozdanie 2023"}
        )
        assert saved.status_code == 200
        assert 'role="status"' in saved.get_data(as_text=True)
    compute(cli)

    shown = api(app, "bdom_indicator_show", id=indicator["id"])["result"]
    (row,) = [r for r in shown["series"] if r["year"] == 2023]
    assert float(row["value"]) == 1300.0
    assert row["sources"][0]["entered_source"] == "Sprawozdanie 2023"
    entries = api(app, "package_show", id="iso37120-dane-gestorow")["result"]  # open data
    records = api(app, "datastore_search", resource_id=entries["resources"][0]["id"])["result"]
    assert [(r["year"], r["steward"], r["entered_by"]) for r in records["records"]] == [
        (2023, "MOPS", coordinator["name"])
    ]
