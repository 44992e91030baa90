"""/dane-gov-pl.xml: published datasets in dane.gov.pl's XML import format 1.10."""

from __future__ import annotations

import hashlib

import pytest
from lxml import etree

from tests.danegovpl import XSD_1_10, full_dataset
from tests.factories import BdomDataset, DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

NS = {"d": "urn:otwarte-dane:harvester:1.10"}


def _valid_document(app) -> etree._Element:
    response = app.get("/dane-gov-pl.xml")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.get_data())
    schema = etree.XMLSchema(etree.parse(str(XSD_1_10)))
    assert schema.validate(document), schema.error_log
    return document


@pytest.mark.ckan_config("ckan.site_url", "https://bdom.example.invalid")
def test_the_export_is_valid_and_holds_only_complete_published_datasets(app):
    full = full_dataset(
        bdom_title_en="Population of the city",
        bdom_notes_en="Residents on 31 December.",
        bdom_tags_en="population, demography",
        bdom_condition_db_or_copyrighted="Baza danych miasta.",
        bdom_condition_db_or_copyrighted_license="CC BY 4.0",
        notes="Długi opis. " * 200,
    )
    DraftDataset(resources=[{"url": "https://dane.example.invalid/d.csv", "format": "CSV"}])
    BdomDataset()  # no resources: it could not be valid, so it is left out
    full_dataset(resources=[{"url": "http://dane.example.invalid/a.csv", "format": "CSV"}])

    document = _valid_document(app)

    datasets = document.findall("d:dataset", NS)
    assert [d.findtext("d:extIdent", namespaces=NS) for d in datasets] == [full["id"]]
    dataset = datasets[0]
    assert dataset.findtext("d:title/d:polish", namespaces=NS) == "Liczba ludności miasta"
    assert dataset.findtext("d:title/d:english", namespaces=NS) == "Population of the city"
    assert len(dataset.findtext("d:description/d:polish", namespaces=NS)) == 1000
    assert dataset.findtext("d:description/d:english", namespaces=NS) == "Residents on 31 December."
    assert dataset.findtext("d:updateFrequency", namespaces=NS) == "yearly"
    categories = [c.text for c in dataset.findall("d:categories/d:category", NS)]
    assert sorted(categories) == ["REGI", "SOCI"]
    tags = {(t.get("lang"), t.text) for t in dataset.findall("d:tags/d:tag", NS)}
    assert tags == {
        ("pl", "ludność"),
        ("pl", "demografia"),
        ("en", "population"),
        ("en", "demography"),
    }
    assert dataset.findtext("d:conditions/d:source", namespaces=NS) == "true"
    assert dataset.findtext("d:conditions/d:modification", namespaces=NS) == "true"
    assert dataset.findtext("d:conditions/d:dbOrCopyrightedLicenseChosen", namespaces=NS) == (
        "CC BY 4.0"
    )
    assert dataset.findtext("d:hasHighValueData", namespaces=NS) == "true"
    assert dataset.findtext("d:hasDynamicData", namespaces=NS) == "false"
    assert dataset.findtext("d:hasResearchData", namespaces=NS) == "false"
    urls = [
        r.findtext("d:url", namespaces=NS) for r in dataset.findall("d:resources/d:resource", NS)
    ]
    assert sorted(urls) == [
        "https://dane.example.invalid/ludnosc.csv",
        "https://dane.example.invalid/ludnosc.xlsx",
    ]
    regions = [r.text for r in dataset.findall("d:resources/d:resource/d:regions/d:terytIdent", NS)]
    assert set(regions) == {"2474011"}


def test_the_md5_file_holds_the_hash_of_the_xml(app):
    full_dataset()

    document = app.get("/dane-gov-pl.xml").get_data()
    md5 = app.get("/dane-gov-pl.xml.md5").get_data(as_text=True)

    assert md5 == hashlib.md5(document).hexdigest()


def test_a_change_is_exported_at_once(app):
    full_dataset(title="Pierwszy")
    _valid_document(app)

    full_dataset(title="Drugi")

    titles = {t.text for t in _valid_document(app).findall("d:dataset/d:title/d:polish", NS)}
    assert titles == {"Pierwszy", "Drugi"}


def test_no_published_dataset_is_a_clear_404(app):
    DraftDataset()

    response = app.get("/dane-gov-pl.xml")

    assert response.status_code == 404
    assert "Brak opublikowanych zbiorów danych. / There are no published datasets." in (
        response.get_data(as_text=True)
    )


def test_a_portal_served_from_this_machine_exports_its_http_resources(app):
    """Development (site_url on 127.0.0.1) has only http addresses: the export
    shows them rather than answering 404; production keeps the https rule."""
    local = full_dataset(resources=[{"url": "http://127.0.0.1:5000/a.csv", "format": "CSV"}])

    response = app.get("/dane-gov-pl.xml")

    assert response.status_code == 200
    document = etree.fromstring(response.get_data())
    datasets = document.findall("d:dataset", NS)
    assert [d.findtext("d:extIdent", namespaces=NS) for d in datasets] == [local["id"]]
