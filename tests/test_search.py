"""A dataset created through the API is indexed by the real Solr and found."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.factories import BdomDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_api_created_dataset_is_found_with_facets(app):
    steward = Steward(name="wydzial-spraw-obywatelskich")
    BdomDataset(
        name="ludnosc-2024",
        title="Ludność 2024",
        owner_org=steward["id"],
        tag_string="ludność,demografia",
    )
    BdomDataset(
        name="urodzenia", title="Urodzenia", owner_org=steward["id"], tag_string="demografia"
    )

    response = app.get(
        "/api/3/action/package_search",
        query_string={"q": "Ludność", "facet.field": '["tags","organization"]'},
    )
    result = response.json["result"]

    assert [d["name"] for d in result["results"]] == ["ludnosc-2024"]
    everything = helpers.call_action("package_search", **{"facet.field": ["tags"]})
    assert everything["count"] == 2
    assert everything["facets"]["tags"] == {"demografia": 2, "ludność": 1}
    assert result["facets"]["organization"] == {"wydzial-spraw-obywatelskich": 1}


def test_dataset_without_keywords_is_refused_with_a_clear_message():
    steward = Steward()
    admin = factories.Sysadmin()
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action(
            "package_create",
            {"user": admin["name"]},
            name="bez-slow-kluczowych",
            title="Bez słów kluczowych",
            notes="Opis",
            owner_org=steward["id"],
            frequency="http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        )
    assert "tag_string" in error.value.error_dict
