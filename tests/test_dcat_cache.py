"""DCAT output is cached, yet a change to the catalogue shows at once."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from ckan.tests import factories, helpers

from tests.factories import BdomDataset, DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def _datasets_in_catalogue(app) -> int:
    turtle = app.get("/catalog.ttl").get_data(as_text=True)
    return len(list(Graph().parse(data=turtle, format="turtle").subjects(RDF.type, DCAT.Dataset)))


def _cached_entries() -> list[bytes]:
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis().keys("bdom:dcat-cache:*:catalogue:*")


def test_catalogue_shows_a_new_dataset_despite_the_cache(app):
    BdomDataset()
    assert _datasets_in_catalogue(app) == 1
    assert len(_cached_entries()) == 1
    assert _datasets_in_catalogue(app) == 1  # served from the cache
    assert len(_cached_entries()) == 1

    BdomDataset()

    assert _datasets_in_catalogue(app) == 2


def test_catalogue_drops_a_deleted_dataset_despite_the_cache(app):
    first = BdomDataset()
    BdomDataset()
    assert _datasets_in_catalogue(app) == 2

    helpers.call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=first["id"])

    assert _datasets_in_catalogue(app) == 1


def test_dataset_page_structured_data_follows_edits(app):
    dataset = BdomDataset(title="Stary tytuł")
    assert "Stary tytuł" in app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)

    helpers.call_action(
        "package_patch",
        {"user": factories.Sysadmin()["name"]},
        id=dataset["id"],
        title="Nowy tytuł",
    )

    page = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    schema_org = page.split('type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "Nowy tytuł" in schema_org
    assert "Stary tytuł" not in page


@pytest.mark.ckan_config("ckanext.bdom.dcat_cache.ttl", 0)
def test_cache_can_be_turned_off(app):
    BdomDataset()
    assert _datasets_in_catalogue(app) == 1


@pytest.mark.usefixtures("with_request_context")
def test_structured_data_is_ready_before_the_first_page_view(app):
    from ckan.lib.redis import connect_to_redis

    from ckanext.bdom.dcat_cache import warm

    public = BdomDataset(title="Parki miejskie")
    DraftDataset()  # not public: nobody but its steward and the officer views it

    assert warm.render_structured_data() == 1  # the background job's part
    keys = connect_to_redis().keys("bdom:dcat-cache:*:structured-data:*")
    assert len(keys) == 1
    assert "Parki miejskie" in connect_to_redis().get(keys[0]).decode()
    page = app.get(f"/dataset/{public['name']}").get_data(as_text=True)
    assert "Parki miejskie" in page.split('type="application/ld+json"', 1)[1]
    assert len(connect_to_redis().keys("bdom:dcat-cache:*:structured-data:*")) == 1


@pytest.mark.usefixtures("with_request_context")
def test_a_change_schedules_rendering_and_the_job_fills_the_cache(app):
    from ckanext.bdom.dcat_cache import warm

    BdomDataset()
    titles = [job["title"] for job in helpers.call_action("job_list")]
    assert titles.count("BDoM: render the DCAT catalogue") == 1
    BdomDataset()  # a second change while the job waits adds no second job
    titles = [job["title"] for job in helpers.call_action("job_list")]
    assert titles.count("BDoM: render the DCAT catalogue") == 1

    assert warm.render_pages(["ttl", "rdf"]) == 4  # page 1 with and without ?page=1
    assert len(_cached_entries()) == 4
    assert _datasets_in_catalogue(app) == 2
    assert len(_cached_entries()) == 4  # the request found its page ready
