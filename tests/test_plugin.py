"""The bdom plugin: Polish portal, city from configuration, CLI, demo content."""

from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import helpers

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_home_page_is_polish_by_default_and_names_the_city(app):
    page = app.get("/").get_data(as_text=True)

    assert '<html lang="pl"' in page
    assert "Bank Danych o Mieście — Siemianowice Śląskie" in page
    assert "Przeglądaj zbiory danych" in page


def test_home_page_is_offered_in_english(app):
    page = app.get("/en/").get_data(as_text=True)

    assert '<html lang="en"' in page
    assert "Browse datasets" in page
    assert "Siemianowice Śląskie" in page


@pytest.mark.ckan_config("ckanext.bdom.city_name", "Gliwice")
def test_another_city_only_changes_configuration(app):
    page = app.get("/").get_data(as_text=True)

    assert "Bank Danych o Mieście — Gliwice" in page
    assert "Siemianowice" not in page


@pytest.mark.parametrize("good", ["2474011", " 2474011 "])
def test_teryt_code_validator_accepts_seven_digits(good):
    assert tk.get_validator("bdom_teryt_code")(good) == "2474011"


@pytest.mark.parametrize("bad", ["247401", "24740111", "24a4011", ""])
def test_teryt_code_validator_explains_in_polish_and_english(bad):
    with pytest.raises(tk.Invalid) as error:
        tk.get_validator("bdom_teryt_code")(bad)
    assert "Kod TERYT gminy ma 7 cyfr" in error.value.error
    assert "A gmina TERYT code has 7 digits" in error.value.error


def test_bdl_unit_id_keeps_leading_zeros():
    assert tk.get_validator("bdom_bdl_unit_id")("012414874011") == "012414874011"
    with pytest.raises(tk.Invalid, match="12 cyfr"):
        tk.get_validator("bdom_bdl_unit_id")("12414874011")


@pytest.mark.usefixtures("clean_db")
def test_sysadmin_command_creates_then_updates_the_account(cli):
    args = [
        "bdom",
        "sysadmin",
        "urzednik",
        "--email",
        "u@example.invalid",
        "--password",
        "haslo-testowe-123",
    ]

    first = cli.invoke(ckan_cli, args)
    second = cli.invoke(ckan_cli, args)

    assert first.exit_code == 0, first.output
    assert "Created sysadmin urzednik" in first.output
    assert "Updated sysadmin urzednik" in second.output
    user = helpers.call_action("user_show", id="urzednik")
    assert user["sysadmin"]


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_demo_content_loads_once_and_is_searchable(cli):
    first = cli.invoke(ckan_cli, ["bdom", "demo", "load"])
    second = cli.invoke(ckan_cli, ["bdom", "demo", "load"])

    assert first.exit_code == 0, first.output
    assert "0 already present" in first.output
    assert " 0 created" in second.output
    stewards = helpers.call_action("organization_list", all_fields=True)
    assert {"department", "external"} <= {
        s.get("bdom_steward_type")
        for s in (helpers.call_action("organization_show", id=o["id"]) for o in stewards)
    }
    everything = helpers.call_action("package_search", include_private=True, rows=100)
    states = {dataset["bdom_status"] for dataset in everything["results"]}
    assert {"draft", "submitted", "returned", "verified", "published"} <= states
    found = helpers.call_action("package_search", q="ludność", rows=50)
    assert found["count"] >= 1
    assert all(
        d["frequency"].startswith("http://publications.europa.eu/") for d in found["results"]
    )


@pytest.mark.usefixtures("clean_db")
def test_role_command_makes_and_unmakes_an_officer(cli):
    from ckan.tests import factories

    user = factories.User()

    given = cli.invoke(ckan_cli, ["bdom", "role", user["name"], "officer"])
    wrong = cli.invoke(ckan_cli, ["bdom", "role", user["name"], "mayor"])
    taken = cli.invoke(ckan_cli, ["bdom", "role", user["name"]])

    assert given.exit_code == 0, given.output
    assert f"{user['name']}: officer" in given.output
    assert wrong.exit_code != 0
    assert "officer" in wrong.output
    assert f"{user['name']}: -" in taken.output
