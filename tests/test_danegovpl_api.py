"""The CKAN Action API route dane.gov.pl harvests: what its harvester reads from
``current_package_list_with_resources`` (one request, ``?limit=1000``)."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from tests.danegovpl import full_dataset
from tests.factories import BdomDataset, DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

# CKAN_LICENSES_WHITELIST of dane.gov.pl's harvester (mcod/settings/base.py)
DANEGOVPL_LICENSE_IDS = {"cc-zero", "cc-by", "cc-by-sa", "cc-nc"}
PRODUCTION_SITE_URL = "https://dane.siemianowice.example"


def _upload(dataset_id: str) -> dict:
    site_user = helpers.call_action("get_site_user")["name"]
    return helpers.call_action(
        "resource_create",
        {"user": site_user},
        package_id=dataset_id,
        name="Dane",
        format="CSV",
        url="dane.csv",
        upload=FileStorage(io.BytesIO(b"rok,liczba\n2024,1\n"), "dane.csv", "upload"),
    )


@pytest.fixture
def production_app(monkeypatch, make_app):
    """The app as production runs it: config/ckan.ini takes ckan.site_url
    from CKAN_SITE_URL, the portal's https address (which also overrides the
    test suite's CKAN_SITE_URL), so uploaded files get https URLs."""
    monkeypatch.setenv("CKAN_SITE_URL", PRODUCTION_SITE_URL)
    return make_app()


@pytest.mark.ckan_config("ckan.site_url", PRODUCTION_SITE_URL)
def test_current_package_list_with_resources_as_dane_gov_pl_reads_it(production_app):
    app = production_app
    published = [
        full_dataset(license_id=license_id) for license_id in sorted(DANEGOVPL_LICENSE_IDS)
    ]
    uploaded = BdomDataset()
    _upload(uploaded["id"])
    draft = DraftDataset()
    _upload(draft["id"])

    response = app.get(
        "/api/3/action/current_package_list_with_resources", query_string={"limit": 1000}
    )

    assert response.status_code == 200
    assert "application/json" in response.headers["Content-Type"]
    datasets = response.json["result"]
    assert {d["id"] for d in datasets} == {d["id"] for d in [*published, uploaded]}
    assert all(d["bdom_status"] == "published" for d in datasets)
    assert {d["license_id"] for d in datasets} <= DANEGOVPL_LICENSE_IDS
    resources = [r for d in datasets for r in d["resources"]]
    assert len(resources) == 2 * len(published) + 1
    assert all(r["url"].startswith("https://") for r in resources), [r["url"] for r in resources]
    upload = next(r for d in datasets if d["id"] == uploaded["id"] for r in d["resources"])
    assert upload["url"].startswith(f"{PRODUCTION_SITE_URL}/dataset/")
    assert all(len(d["id"]) <= 36 for d in datasets)  # dane.gov.pl's ext_ident


def test_the_licence_list_offers_only_what_dane_gov_pl_accepts(app):
    licences = app.get("/api/3/action/license_list").json["result"]

    assert {licence["id"] for licence in licences} == DANEGOVPL_LICENSE_IDS
