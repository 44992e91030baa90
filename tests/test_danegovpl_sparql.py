"""/sparql: SPARQL 1.1 Protocol over the public DCAT graph, as dane.gov.pl uses it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from tests.danegovpl import EU, full_dataset
from tests.factories import DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

COUNT = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> }"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
CC_BY = URIRef(f"{EU}licence/CC_BY_4_0")


def _count(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.json["results"]["bindings"][0]["n"]["value"])


def test_select_and_ask_answer_sparql_json_or_xml(app):
    full_dataset()
    DraftDataset()

    response = app.get("/sparql", query_string={"query": COUNT})
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert _count(response) == 1

    response = app.get(
        "/sparql",
        query_string={"query": COUNT},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert b"<sparql" in response.get_data()

    ask = "ASK { ?d <http://purl.org/dc/terms/license> ?l }"
    assert app.get("/sparql", query_string={"query": ask}).json["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "content_type", "rdf_format"),
    [
        (None, "application/rdf+xml", "xml"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_construct_answers_rdf_by_accept(app, accept, content_type, rdf_format):
    dataset = full_dataset()
    headers = {"Accept": accept} if accept else {}

    response = app.get("/sparql", query_string={"query": EVERYTHING}, headers=headers)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(content_type)
    graph = Graph().parse(data=response.get_data(), format=rdf_format)
    assert (None, DCTERMS.identifier, None) in graph
    assert dataset["id"] in {str(i) for i in graph.objects(None, DCTERMS.identifier)}


def test_post_form_and_direct(app):
    full_dataset()

    form = app.post("/sparql", data={"query": COUNT})
    direct = app.post(
        "/sparql", data=COUNT.encode(), headers={"Content-Type": "application/sparql-query"}
    )

    assert _count(form) == _count(direct) == 1


@pytest.mark.parametrize(
    "request_args",
    [
        {"query_string": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"query_string": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"update": "DELETE WHERE { ?s ?p ?o }"}, "method": "post"},
        {
            "data": b"DELETE WHERE { ?s ?p ?o }",
            "headers": {"Content-Type": "application/sparql-update"},
            "method": "post",
        },
    ],
)
def test_updates_are_refused(app, request_args):
    full_dataset()
    method = getattr(app, request_args.pop("method", "get"))

    response = method("/sparql", **request_args)

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "tylko do odczytu" in text
    assert "read-only" in text
    assert _count(app.get("/sparql", query_string={"query": COUNT})) == 1


def test_a_malformed_query_gets_the_parser_message(app):
    response = app.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p "})

    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert text.startswith("Błędne zapytanie SPARQL: ")
    assert " / Malformed SPARQL query: " in text
    assert "Expected" in text  # pyparsing's own words


def test_no_query_is_a_clear_400(app):
    response = app.get("/sparql")

    assert response.status_code == 400
    assert "No SPARQL query" in response.get_data(as_text=True)


@pytest.mark.ckan_config("ckanext.bdom.danegovpl.sparql_max_results", 5)
def test_a_result_larger_than_the_limit_is_refused(app):
    full_dataset()

    response = app.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})

    assert response.status_code == 400
    assert "LIMIT" in response.get_data(as_text=True)
    limited = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
    assert app.get("/sparql", query_string={"query": limited}).status_code == 200


@pytest.mark.ckan_config("ckanext.bdom.danegovpl.sparql_timeout", 1)
def test_a_query_running_too_long_is_stopped(app):
    full_dataset()
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

    response = app.get("/sparql", query_string={"query": endless})

    assert response.status_code == 503
    assert "stopped" in response.get_data(as_text=True)


@pytest.mark.usefixtures("with_request_context")
def test_the_graph_is_built_once_and_rebuilt_after_a_change():
    from ckanext.bdom.danegovpl import graph

    full_dataset()
    first = graph.public_graph()
    assert graph.public_graph() is first

    full_dataset()

    second = graph.public_graph()
    assert second is not first
    assert len(list(second.subjects(RDF.type, DCAT.Dataset))) == 2


def test_sparqlstore_constructs_the_whole_catalogue_as_dane_gov_pl_does(bdom_stack):
    """rdflib's SPARQLStore asking for RDF/XML, like dane.gov.pl's harvester
    (mcod fetch_dcat_data), against the portal served by `ckan run`."""
    published = [full_dataset(), full_dataset(license_id="cc-by")]
    DraftDataset()

    store = SPARQLStore(
        query_endpoint=f"{bdom_stack.url}/sparql", returnFormat="application/rdf+xml"
    )
    graph = store.query(EVERYTHING).graph

    datasets = {
        str(graph.value(d, DCTERMS.identifier)): d for d in graph.subjects(RDF.type, DCAT.Dataset)
    }
    assert set(datasets) == {d["id"] for d in published}
    for dataset in published:
        ref = datasets[dataset["id"]]
        distributions = list(graph.objects(ref, DCAT.distribution))
        assert len(distributions) == len(dataset["resources"])
        assert {graph.value(d, DCTERMS.license) for d in distributions} == {CC_BY}
        assert all(graph.value(d, DCAT.accessURL) for d in distributions)


def test_answers_are_cached_until_the_catalogue_changes(app):
    from ckan.lib.redis import connect_to_redis

    full_dataset()
    assert _count(app.get("/sparql", query_string={"query": COUNT})) == 1
    assert len(connect_to_redis().keys("bdom:dcat-cache:*:sparql:*")) == 1
    assert _count(app.get("/sparql", query_string={"query": COUNT})) == 1
    assert len(connect_to_redis().keys("bdom:dcat-cache:*:sparql:*")) == 1

    full_dataset()

    assert _count(app.get("/sparql", query_string={"query": COUNT})) == 2
