"""Round trip: ckanext-dcat's RDF harvester reads our /catalog.ttl back."""

from __future__ import annotations

import pytest

from ckan.tests import factories, helpers

from tests.danegovpl import EU, full_dataset
from tests.factories import Steward
from tests.test_stack import _report, _run_job

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def _resources(dataset: dict) -> list[tuple[str, str]]:
    return sorted((r["url"], r["format"].upper()) for r in dataset["resources"])


def test_the_dcat_harvester_gets_our_catalogue_back(bdom_stack):
    ours = [
        full_dataset(
            title="Liczba ludności miasta",
            bdom_title_en="Population of the city",
            bdom_tags_en="population",
        ),
        full_dataset(
            title="Odpady komunalne",
            notes="Masa odebranych odpadów komunalnych według frakcji.",
            theme=[f"{EU}data-theme/ENVI"],
            frequency=f"{EU}frequency/MONTHLY",
            license_id="cc-zero",
        ),
    ]
    other = Steward(name="inny-portal")
    admin = {"user": factories.Sysadmin()["name"]}
    source = helpers.call_action(
        "harvest_source_create",
        dict(admin),
        name="bdom-catalog",
        title="Nasz katalog",
        url=f"{bdom_stack.url}/catalog.ttl",
        source_type="dcat_rdf",
        owner_org=other["id"],
        frequency="MANUAL",
        config='{"rdf_format": "text/turtle"}',
    )

    job = _run_job(admin, source["id"], bdom_stack)

    assert job["stats"].get("errored", 0) == 0, _report(job)
    harvested = helpers.call_action(
        "package_search",
        fq="harvest_source_id:" + source["id"],
        include_private=True,
        include_drafts=True,
    )["results"]
    assert len(harvested) == len(ours)
    by_title = {d["title"]: helpers.call_action("package_show", id=d["id"]) for d in harvested}
    for dataset in ours:
        back = by_title[dataset["title"]]
        assert back["owner_org"] == other["id"]
        assert back["notes"] == dataset["notes"]
        assert sorted(back["theme"]) == sorted(dataset["theme"])
        assert back["frequency"] == dataset["frequency"]
        assert back["license_id"] == dataset["license_id"]
        assert _resources(back) == _resources(dataset)
        assert sorted(t["name"] for t in back["tags"]) == sorted(t["name"] for t in dataset["tags"])
        assert back.get("bdom_title_en") == dataset.get("bdom_title_en")
        assert back.get("bdom_tags_en") == dataset.get("bdom_tags_en")
        assert back["bdom_has_high_value_data"] == "true"
