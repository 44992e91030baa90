"""The BDoM dataset and steward schemas, as a user of the API and the pages sees them.

Every rule refuses bad input with a message in Polish and in English that names
the field, says what is wrong and how to fix it; defaults and computed fields
are filled in by the portal.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.bdom.lib import openness, schedule
from tests.factories import ANNUAL, SOCI, BdomDataset, Steward

# Refused input stores nothing, so the rule tests share the database; tests
# that store something start from a clean database and index.
pytestmark = pytest.mark.usefixtures("with_plugins")
fresh = pytest.mark.usefixtures("clean_db", "clean_index")

EU = "http://publications.europa.eu/resource/authority/"
MONTHLY = EU + "frequency/MONTHLY"
IRREG = EU + "frequency/IRREG"
STATISTICS = "http://data.europa.eu/bna/c_e1da4e07"
COORDINATOR = {"name": "Anna Kowalska", "email": "a.kowalska@example.invalid"}


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def steward() -> dict[str, Any]:
    return Steward()


def _context(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"]}


def _dataset(steward: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = {
        "name": "zbior-testowy",
        "title": "Zbiór testowy",
        "notes": "Opis zbioru.",
        "tag_string": "test",
        "owner_org": steward["id"],
        "frequency": ANNUAL,
        "theme": [SOCI],
    }
    data.update(fields)
    return data


def _create(user: dict[str, Any], steward: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return helpers.call_action("package_create", _context(user), **_dataset(steward, **fields))


def _refused(action: str, user: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action(action, _context(user), **data)
    return error.value.error_dict


def _text(errors: Any) -> str:
    return json.dumps(errors, ensure_ascii=False)


def _assert_explained(errors: dict[str, Any], field: str, polish: str, english: str) -> None:
    """The error is reported on ``field`` and explained in both languages."""
    assert field in errors, errors
    assert polish in _text(errors[field])
    assert english in _text(errors[field])


# --- every rule: the field is named, both languages explain ------------------

DATASET_RULES = [
    ("notes", {"notes": ""}, "Pole „Opis” jest wymagane", "The field “Description” is required"),
    (
        "owner_org",
        {"owner_org": ""},
        "Pole „Gestor danych” jest wymagane",
        "The field “Data steward” is required",
    ),
    ("theme", {"theme": []}, "wybierz co najmniej jedną wartość", "choose at least one value"),
    ("theme", {"theme": ["SOCI"]}, "nie przyjmuje wartości", "does not accept"),
    (
        "frequency",
        {"frequency": ""},
        "Pole „Częstotliwość aktualizacji” jest wymagane",
        "The field “Update frequency” is required",
    ),
    ("frequency", {"frequency": "yearly"}, "wybierz jedną z:", "choose one of:"),
    ("bdom_iso37120_themes", {"bdom_iso37120_themes": ["5"]}, "nie przyjmuje", "does not accept"),
    (
        "contact",
        {"contact": [{"name": "Jan", "email": "jan-at-example"}]},
        "Adres e-mail 'jan-at-example' jest niepoprawny",
        "The e-mail address 'jan-at-example' is not valid",
    ),
    (
        "spatial_coverage",
        {"spatial_coverage": [{"bdom_teryt": "24740"}]},
        "Kod TERYT '24740' jest niepoprawny",
        "The TERYT code '24740' is not valid",
    ),
    (
        "bdom_reference_period",
        {"bdom_reference_period": "2024-13"},
        "Okres '2024-13' jest niepoprawny",
        "The period '2024-13' is not valid",
    ),
    (
        "bdom_source",
        {"bdom_source": "gus"},
        "Pole „Źródło danych” nie przyjmuje wartości 'gus'",
        "The field “Data source” does not accept 'gus'",
    ),
    (
        "bdom_source_url",
        {"bdom_source_url": "bdl.stat.gov.pl"},
        "nie jest adresem strony",
        "is not a web address",
    ),
    (
        "license_id",
        {"license_id": "odc-by"},
        "Licencja 'odc-by' nie jest dozwolona",
        "The licence 'odc-by' is not allowed",
    ),
    (
        "bdom_condition_source",
        {"bdom_condition_source": "może"},
        "nie jest odpowiedzią tak/nie",
        "is not a yes/no answer",
    ),
    (
        "bdom_condition_responsibilities",
        {"bdom_condition_responsibilities": "x" * 4001},
        "może mieć najwyżej 4000",
        "may have at most 4000",
    ),
    (
        "bdom_condition_db_or_copyrighted_license",
        {"bdom_condition_db_or_copyrighted": "Baza danych chroniona prawem sui generis."},
        "wybierz też licencję",
        "also choose the licence",
    ),
    (
        "bdom_condition_db_or_copyrighted_license",
        {"bdom_condition_db_or_copyrighted_license": "CC BY 4.0"},
        "opisz też te prawa",
        "also describe those rights",
    ),
    (
        "hvd_category",
        {"bdom_has_high_value_data": "true"},
        "wybierz co najmniej jedną kategorię",
        "choose at least one high-value dataset category",
    ),
    (
        "hvd_category",
        {"hvd_category": [STATISTICS]},
        "podaje się tylko dla danych o wysokiej wartości",
        "only given for high-value data",
    ),
]


@pytest.mark.parametrize(("field", "bad", "polish", "english"), DATASET_RULES)
def test_dataset_rule_names_the_field_in_polish_and_english(
    sysadmin, steward, field, bad, polish, english
):
    errors = _refused("package_create", sysadmin, _dataset(steward, **bad))

    _assert_explained(errors, field, polish, english)


RESOURCE_RULES = [
    ("bdom_reference_period", "2024-Q5", "Okres '2024-Q5'", "The period '2024-Q5'"),
    ("bdom_data_updated", "31.12.2024", "RRRR-MM-DD", "YYYY-MM-DD"),
    ("language", ["pl"], "nie przyjmuje wartości", "does not accept"),
    (
        "bdom_columns",
        [{"type": "integer", "unit": "osoby"}],
        "Opisana kolumna nie ma nazwy",
        "A described column has no name",
    ),
    ("bdom_columns", [{"name": "rok", "type": "year"}], "wybierz jedną z:", "choose one of:"),
]


@pytest.mark.parametrize(("field", "bad", "polish", "english"), RESOURCE_RULES)
def test_resource_rule_names_the_field_in_polish_and_english(
    sysadmin, steward, field, bad, polish, english
):
    resource = {"url": "https://example.org/dane.csv", "format": "CSV", field: bad}

    errors = _refused("package_create", sysadmin, _dataset(steward, resources=[resource]))

    assert field in _text(errors["resources"])
    _assert_explained(errors, "resources", polish, english)


@fresh
def test_a_failed_update_leaves_the_stored_dataset_unchanged(sysadmin, steward):
    created = _create(sysadmin, steward)

    errors = _refused(
        "package_patch",
        sysadmin,
        {"id": created["id"], "title": "Nowy tytuł", "license_id": "other-closed"},
    )

    assert "license_id" in errors
    stored = helpers.call_action("package_show", id=created["id"])
    assert stored["title"] == "Zbiór testowy"
    assert stored["license_id"] == "cc-by"


@fresh
def test_a_complete_dataset_round_trips(sysadmin, steward):
    data = _dataset(
        steward,
        bdom_iso37120_themes=["iso37120-2018:13"],
        bdom_iso37120_indicators=["iso37120-2018:13.1"],
        bdom_reference_period="2024-Q4",
        bdom_source="gus_bdl",
        bdom_source_name="GUS, Bank Danych Lokalnych",
        bdom_source_url="https://bdl.stat.gov.pl",
        license_id="cc-zero",
        bdom_condition_source="tak",
        bdom_condition_modification=False,
        bdom_condition_db_or_copyrighted="Baza danych chroniona prawem sui generis.",
        bdom_condition_db_or_copyrighted_license="CC BY 4.0",
        bdom_has_dynamic_data="false",
        bdom_has_high_value_data="true",
        hvd_category=[STATISTICS],
        bdom_has_research_data="false",
        bdom_methodology="Stan na 31 grudnia.",
        resources=[
            {
                "url": "https://example.org/ludnosc.csv",
                "format": "CSV",
                "bdom_reference_period": "2024",
                "bdom_data_updated": "2025-01-15",
                "language": [EU + "language/POL"],
                "bdom_columns": [
                    {"name": "rok", "type": "integer", "description": "Rok"},
                    {"name": "ludnosc", "type": "integer", "unit": "osoby"},
                ],
            }
        ],
    )

    created = helpers.call_action("package_create", _context(sysadmin), **data)
    shown = helpers.call_action("package_show", id=created["id"])

    assert shown["bdom_iso37120_themes"] == ["iso37120-2018:13"]
    assert shown["bdom_iso37120_indicators"] == ["iso37120-2018:13.1"]
    assert shown["license_id"] == "cc-zero"
    assert shown["bdom_condition_source"] == "true"
    assert shown["bdom_condition_modification"] == "false"
    assert shown["hvd_category"] == [STATISTICS]
    assert shown["applicable_legislation"] == ["http://data.europa.eu/eli/reg_impl/2023/138/oj"]
    resource = shown["resources"][0]
    assert resource["language"] == [EU + "language/POL"]
    assert resource["bdom_columns"][1] == {
        "name": "ludnosc",
        "type": "integer",
        "unit": "osoby",
    }
    assert shown["bdom_last_data_update"] == "2025-01-15"
    # annual data for 2024: the 2025 data are due 6 months (the default
    # reporting lag) after 2025 ends
    assert shown["bdom_next_update_due"] == "2026-06-30"
    assert shown["bdom_openness_score"] == 3


# --- licence ----------------------------------------------------------------


def test_licence_list_offers_the_four_dane_gov_pl_licences_with_eu_iris():
    licences = {item["id"]: item["url"] for item in helpers.call_action("license_list")}

    assert licences == {
        "cc-zero": "http://publications.europa.eu/resource/authority/licence/CC0",
        "cc-by": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        "cc-by-sa": "http://publications.europa.eu/resource/authority/licence/CC_BY_SA_4_0",
        "cc-nc": "http://publications.europa.eu/resource/authority/licence/CC_BY_NC_4_0",
    }


@fresh
def test_licence_defaults_to_cc_by(sysadmin, steward):
    created = _create(sysadmin, steward)

    assert created["license_id"] == "cc-by"
    assert created["license_url"].endswith("/licence/CC_BY_4_0")


# --- defaults ---------------------------------------------------------------


@fresh
def test_spatial_coverage_defaults_to_the_city(sysadmin, steward):
    created = _create(sysadmin, steward)

    assert created["spatial_coverage"] == [
        {"bdom_teryt": "2474011", "text": "Siemianowice Śląskie"}
    ]


@fresh
@pytest.mark.ckan_config("ckanext.bdom.teryt", "2469011")
@pytest.mark.ckan_config("ckanext.bdom.city_name", "Katowice")
def test_spatial_coverage_default_follows_the_configured_city(sysadmin, steward):
    created = _create(sysadmin, steward)

    assert created["spatial_coverage"] == [{"bdom_teryt": "2469011", "text": "Katowice"}]


@fresh
def test_given_spatial_coverage_is_kept(sysadmin, steward):
    area = [{"bdom_teryt": "24", "text": "województwo śląskie"}]

    created = _create(sysadmin, steward, spatial_coverage=area)

    assert created["spatial_coverage"] == area


@fresh
def test_contact_defaults_to_the_stewards_first_coordinator(sysadmin):
    steward = Steward(bdom_coordinators=[COORDINATOR, {"name": "Jan Nowak", "email": "j@x.pl"}])

    created = _create(sysadmin, steward)

    assert created["contact"] == [COORDINATOR]


@fresh
def test_given_contact_is_kept(sysadmin):
    steward = Steward(bdom_coordinators=[COORDINATOR])
    contact = [{"name": "Biuro BDoM", "email": "bdom@example.invalid"}]

    created = _create(sysadmin, steward, contact=contact)

    assert created["contact"] == contact


@fresh
def test_contact_stays_empty_when_the_steward_has_no_coordinator(sysadmin, steward):
    created = _create(sysadmin, steward)

    assert not created.get("contact")


# --- computed, read-only fields ------------------------------------------------


@fresh
@pytest.mark.parametrize(
    ("formats", "stars"),
    [
        (["PDF"], 1),
        (["PDF", "XLSX"], 2),
        (["PDF", "XLS", "CSV"], 3),
        (["JSON", "TTL"], 4),
        (["CSV", "JSON-LD", "LOD"], 5),
        (["DOCX", "text/csv"], 3),
        (["mystery"], 1),
    ],
)
def test_openness_score_is_the_best_resource_format(sysadmin, steward, formats, stars):
    resources = [
        {"url": f"https://example.org/plik-{n}", "format": fmt} for n, fmt in enumerate(formats)
    ]

    created = _create(sysadmin, steward, resources=resources)

    assert created["bdom_openness_score"] == stars


@fresh
def test_openness_score_follows_resources_added_later(sysadmin, steward):
    created = _create(sysadmin, steward)
    assert created["bdom_openness_score"] is None

    helpers.call_action(
        "resource_create",
        _context(sysadmin),
        package_id=created["id"],
        url="https://example.org/ludnosc.xlsx",
    )

    assert helpers.call_action("package_show", id=created["id"])["bdom_openness_score"] == 2


def test_openness_mapping_guesses_the_format_from_the_url():
    assert openness.format_stars("", "https://example.org/dane.ttl?v=2") == 4
    assert openness.openness_score([]) is None


@pytest.mark.parametrize(
    ("frequency", "last", "due"),
    [
        (EU + "frequency/DAILY", "2024-12-31", "2025-01-01"),
        (EU + "frequency/WEEKLY", "2024-12-30", "2025-01-06"),
        (MONTHLY, "2024-01-31", "2024-02-29"),
        (EU + "frequency/QUARTERLY", "2024-11-30", "2025-02-28"),
        (EU + "frequency/ANNUAL_2", "2024-08-31", "2025-02-28"),
        (ANNUAL, "2024-02-29", "2025-02-28"),
        (IRREG, "2024-01-01", None),
        (EU + "frequency/NEVER", "2024-01-01", None),
    ],
)
def test_next_update_due_is_last_update_plus_the_frequency(frequency, last, due):
    result = schedule.next_update_due(frequency, dt.date.fromisoformat(last))

    assert (result.isoformat() if result else None) == due


@fresh
def test_last_and_next_update_come_from_the_resources(sysadmin, steward):
    resources = [
        {"url": "https://example.org/a.csv", "last_modified": "2024-03-31T10:00:00"},
        {"url": "https://example.org/b.csv", "last_modified": "2023-05-01T10:00:00"},
    ]

    created = helpers.call_action(
        "package_create",
        _context(sysadmin),
        **_dataset(steward, frequency=MONTHLY, resources=resources),
    )

    assert created["bdom_last_data_update"] == "2024-03-31"
    assert created["bdom_next_update_due"] == "2024-04-30"


@fresh
def test_resource_data_date_wins_over_the_file_date(sysadmin, steward):
    resources = [
        {
            "url": "https://example.org/a.csv",
            "last_modified": "2025-06-01T10:00:00",
            "bdom_data_updated": "2024-12-31",
        }
    ]

    created = _create(sysadmin, steward, resources=resources)

    assert created["bdom_last_data_update"] == "2024-12-31"
    assert created["bdom_next_update_due"] == "2025-12-31"


@fresh
def test_computed_fields_cannot_be_set_through_the_api(sysadmin, steward):
    forged = {
        "bdom_openness_score": 5,
        "bdom_last_data_update": "2099-01-01",
        "bdom_next_update_due": "2099-01-01",
        "applicable_legislation": ["http://example.org/law"],
    }
    resources = [{"url": "https://example.org/a.pdf", "format": "PDF"}]

    created = _create(sysadmin, steward, resources=resources, **forged)
    helpers.call_action("package_patch", _context(sysadmin), id=created["id"], **forged)
    shown = helpers.call_action("package_show", id=created["id"])

    assert shown["bdom_openness_score"] == 1
    assert shown["bdom_last_data_update"] == dt.date.today().isoformat()
    assert shown["bdom_next_update_due"] != "2099-01-01"
    assert shown["applicable_legislation"] == []


@fresh
def test_dataset_page_shows_the_computed_fields(app, steward):
    dataset = BdomDataset(
        owner_org=steward["id"],
        resources=[{"url": "https://example.org/a.csv", "format": "CSV"}],
    )

    page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)

    assert "Poziom otwartości" in page
    assert "★★★☆☆" in page
    assert "Następna aktualizacja" in page


# --- steward organizations -----------------------------------------------------


@pytest.mark.parametrize("regon", ["123456785", "12345678512347", "123-456-785"])
def test_regon_with_a_valid_check_digit_is_accepted(regon):
    assert tk.get_validator("bdom_regon")(regon) == regon.replace("-", "")


ORGANIZATION_RULES = [
    ("bdom_regon", {"bdom_regon": "123456786"}, "błędną cyfrę kontrolną", "wrong check digit"),
    ("bdom_regon", {"bdom_regon": "12345678512346"}, "błędną cyfrę", "wrong check digit"),
    ("bdom_regon", {"bdom_regon": "1234567"}, "REGON ma 9 albo 14 cyfr", "has 9 or 14 digits"),
    ("bdom_website", {"bdom_website": "www"}, "nie jest adresem strony", "is not a web address"),
    ("bdom_steward_type", {"bdom_steward_type": "firma"}, "wybierz jedną z", "choose one of"),
    (
        "bdom_coordinators",
        {"bdom_coordinators": [{"name": "Jan", "email": "jan@"}]},
        "Koordynator nr 1: Adres e-mail 'jan@' jest niepoprawny",
        "Coordinator 1: The e-mail address 'jan@' is not valid",
    ),
    (
        "bdom_coordinators",
        {"bdom_coordinators": [{"email": "jan@example.invalid"}]},
        "Koordynator nr 1: wpisz imię i nazwisko",
        "Coordinator 1: enter the name",
    ),
    (
        "bdom_coordinators",
        {"bdom_coordinators": [{"name": "Jan", "email": "j@x.pl", "phone": "12 34"}]},
        "Numer telefonu '12 34' jest niepoprawny",
        "The phone number '12 34' is not valid",
    ),
]


@pytest.mark.parametrize(("field", "bad", "polish", "english"), ORGANIZATION_RULES)
def test_organization_rule_names_the_field_in_polish_and_english(
    sysadmin, field, bad, polish, english
):
    data = {"name": "wydzial-testowy", "title": "Wydział testowy", **bad}

    errors = _refused("organization_create", sysadmin, data)

    _assert_explained(errors, field, polish, english)


@fresh
def test_steward_fields_round_trip(sysadmin):
    coordinators = [
        {"name": "Anna Kowalska", "email": "a.kowalska@example.invalid", "phone": "32 765 60 00"}
    ]

    created = helpers.call_action(
        "organization_create",
        _context(sysadmin),
        name="mops",
        title="Miejski Ośrodek Pomocy Społecznej",
        bdom_steward_type="municipal_unit",
        bdom_abbreviation="MOPS",
        bdom_coordinators=coordinators,
        bdom_address="ul. Testowa 1, 41-100 Siemianowice Śląskie",
        bdom_regon="276813404",
        bdom_website="https://mops.example.invalid",
    )
    shown = helpers.call_action("organization_show", id=created["id"])

    assert shown["bdom_coordinators"] == coordinators
    assert shown["bdom_regon"] == "276813404"
    assert shown["bdom_address"].startswith("ul. Testowa 1")


@fresh
def test_organization_form_rows_become_the_coordinator_list(sysadmin):
    form = {
        "bdom_coordinators-0-name": "Jan Nowak",
        "bdom_coordinators-0-email": "j.nowak@example.invalid",
        "bdom_coordinators-0-phone": "",
        "bdom_coordinators-1-name": "",
        "bdom_coordinators-1-email": "",
        "bdom_coordinators-1-phone": "",
    }

    created = helpers.call_action(
        "organization_create", _context(sysadmin), name="straz", title="Straż Miejska", **form
    )

    assert helpers.call_action("organization_show", id=created["id"])["bdom_coordinators"] == [
        {"name": "Jan Nowak", "email": "j.nowak@example.invalid", "phone": ""}
    ]


@fresh
def test_organization_pages_show_and_edit_the_coordinators(app):
    admin = factories.SysadminWithToken()
    steward = Steward(bdom_coordinators=[COORDINATOR])
    headers = {"Authorization": admin["token"]}

    about = app.get(f"/organization/about/{steward['name']}", headers=headers)
    edit = app.get(f"/organization/edit/{steward['name']}", headers=headers)

    assert "Anna Kowalska" in about.get_data(as_text=True)
    form = edit.get_data(as_text=True)
    assert 'name="bdom_coordinators-0-email"' in form
    assert "a.kowalska@example.invalid" in form


@fresh
def test_dataset_and_resource_forms_offer_the_schema_fields(app, steward):
    admin = factories.SysadminWithToken()
    headers = {"Authorization": admin["token"]}
    dataset = BdomDataset(owner_org=steward["id"])

    dataset_form = app.get("/dataset/new", headers=headers).get_data(as_text=True)
    resource_form = app.get(f"/dataset/{dataset['name']}/resource/new", headers=headers).get_data(
        as_text=True
    )

    assert 'name="bdom_iso37120_themes"' in dataset_form
    assert 'name="private"' not in dataset_form  # visibility follows the workflow
    assert "staje się publiczny, gdy opublikuje go pełnomocnik" in dataset_form
    assert 'name="spatial_coverage-0-bdom_teryt"' in dataset_form
    assert 'name="bdom_condition_db_or_copyrighted_license"' in dataset_form
    assert "CC BY 4.0 — uznanie autorstwa" in dataset_form
    assert "odc-by" not in dataset_form
    assert "bdom_openness_score" not in dataset_form
    assert 'name="bdom_columns-0-name"' in resource_form
    assert 'name="bdom_data_updated"' in resource_form
