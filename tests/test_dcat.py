"""The DCAT catalogue endpoint serves our datasets as RDF."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.factories import BdomDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_catalog_ttl_parses_and_holds_the_dataset(app):
    dataset = BdomDataset(name="ludnosc", title="Ludność według wieku")

    response = app.get("/catalog.ttl")

    assert response.status_code == 200
    assert "text/turtle" in response.headers["Content-Type"]
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    assert (datasets[0], DCTERMS.title, Literal("Ludność według wieku", lang="pl")) in graph
    assert (datasets[0], DCTERMS.identifier, Literal(dataset["id"])) in graph
    frequency = URIRef("http://publications.europa.eu/resource/authority/frequency/ANNUAL")
    assert (datasets[0], DCTERMS.accrualPeriodicity, frequency) in graph
