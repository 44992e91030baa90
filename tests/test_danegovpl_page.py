"""The officer's page "Jak podłączyć portal do dane.gov.pl"."""

from __future__ import annotations

import re

import pytest

from tests.danegovpl import full_dataset
from tests.factories import DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")


def test_the_page_names_the_three_routes_and_their_addresses_in_polish(app):
    full_dataset()
    DraftDataset()

    page = app.get("/dane-gov-pl").get_data(as_text=True)

    assert re.search(r"<h1[^>]*>\s*Jak podłączyć portal do dane.gov.pl\s*</h1>", page)
    assert len(re.findall(r"<h2 id=\"bdom-route-", page)) == 4
    site = "http://127.0.0.1:"
    for address in (
        "/dane-gov-pl.xml</code>",
        "/api/3/action/current_package_list_with_resources?limit=1000</code>",
        "/sparql</code>",
    ):
        assert f"{site}" in page
        assert address in page
    assert "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }" in page
    assert "Opublikowane zbiory danych: 1." in page
    assert "W pliku są teraz zbiory: 1 z 1." in page
    assert "https://" in page  # the warning: the test site is not on https
    assert 'aria-labelledby="bdom-route-xml"' in page


def test_the_page_is_in_english_for_english_readers(app):
    page = app.get("/en/dane-gov-pl").get_data(as_text=True)

    assert "How to connect the portal to dane.gov.pl" in page
