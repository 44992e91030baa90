"""The ``bdom_dcat_ap_pl`` profile: DCAT-AP 3.0.0 and 2.1.1 shapes, and what
dane.gov.pl reads from the graph."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD, Namespace

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from tests.danegovpl import EU, HVD_STATISTICS, SHAPES, full_dataset, shacl_report
from tests.factories import BdomDataset, DraftDataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis")

DCATAP = "http://data.europa.eu/r5r/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HVD_LEGISLATION = URIRef("http://data.europa.eu/eli/reg_impl/2023/138/oj")


def _graph(app, url: str, **kwargs) -> Graph:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


@pytest.mark.parametrize("shapes_name", list(SHAPES))
def test_dataset_and_catalogue_conform_to_the_shapes(app, shapes_name):
    full = full_dataset()
    minimal = full_dataset(
        contact=[], resources=[{"url": "https://dane.example.invalid/a.csv", "format": "csv"}]
    )

    for url in (f"/dataset/{full['name']}.ttl", f"/dataset/{minimal['name']}.ttl", "/catalog.ttl"):
        conforms, report = shacl_report(_graph(app, url), shapes_name)
        assert conforms, f"{url} against {shapes_name}:\n{report}"


# config/ckan.ini: a distribution without a licence inherits the dataset's
@pytest.mark.ckan_config("ckanext.dcat.resource.inherit.license", True)
def test_the_production_dcat_settings_conform_too(app):
    dataset = full_dataset()

    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")

    for shapes_name in SHAPES:
        conforms, report = shacl_report(graph, shapes_name)
        assert conforms, f"{shapes_name}:\n{report}"
    licence = URIRef(f"{EU}licence/CC_BY_4_0")
    assert set(graph.objects(licence, DCTERMS.type)) == {
        URIRef("http://purl.org/adms/licencetype/Attribution")
    }


@pytest.mark.parametrize("shapes_name", list(SHAPES))
def test_the_plain_fixture_meets_the_mandatory_shapes(app, shapes_name):
    """The suite's BdomDataset has no distribution and no temporal coverage,
    which DCAT-AP only recommends: it must meet everything else."""
    dataset = BdomDataset()

    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")

    conforms, report = shacl_report(graph, shapes_name, recommended=False)
    assert conforms, report


def test_demo_portal_conforms_and_shows_only_published_datasets(app, cli):
    result = cli.invoke(ckan_cli, ["bdom", "demo", "load"])
    assert result.exit_code == 0, result.output

    graph = _graph(app, "/catalog.ttl")

    for shapes_name in SHAPES:
        conforms, report = shacl_report(graph, shapes_name)
        assert conforms, f"demo catalogue against {shapes_name}:\n{report}"
    everything = helpers.call_action("package_search", include_private=True, rows=1000)
    published = {d["id"] for d in everything["results"] if d["bdom_status"] == "published"}
    assert len(published) < everything["count"]  # the demo has datasets in every state
    identifiers = {
        str(i)
        for d in graph.subjects(RDF.type, DCAT.Dataset)
        for i in graph.objects(d, DCTERMS.identifier)
    }
    assert identifiers == published


def test_the_graph_carries_what_dane_gov_pl_reads(app):
    dataset = full_dataset(bdom_title_en="Population of the city")
    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")
    ref = next(graph.subjects(RDF.type, DCAT.Dataset))

    assert (ref, DCTERMS.title, Literal("Liczba ludności miasta", lang="pl")) in graph
    assert (ref, DCTERMS.description, Literal(dataset["notes"], lang="pl")) in graph
    assert {k.language for k in graph.objects(ref, DCAT.keyword)} == {"pl"}
    assert set(graph.objects(ref, DCAT.theme)) == {
        URIRef(f"{EU}data-theme/SOCI"),
        URIRef(f"{EU}data-theme/REGI"),
    }
    assert (ref, DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/ANNUAL")) in graph
    identifier = graph.value(ref, DCTERMS.identifier)
    assert len(str(identifier)) <= 36
    for predicate in (DCTERMS.issued, DCTERMS.modified):
        assert graph.value(ref, predicate).datatype == XSD.dateTime
    contact = graph.value(ref, DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.hasEmail)) == "mailto:dane@example.invalid"
    publisher = graph.value(ref, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Miasto Siemianowice Śląskie", lang="pl")
    assert (
        publisher,
        DCTERMS.type,
        URIRef("http://purl.org/adms/publishertype/LocalAuthority"),
    ) in graph
    assert graph.value(graph.value(ref, DCTERMS.temporal), DCAT.startDate) is not None
    location = graph.value(ref, DCTERMS.spatial)
    assert str(graph.value(location, DCTERMS.identifier)) == "2474011"
    assert (ref, URIRef(f"{DCATAP}applicableLegislation"), HVD_LEGISLATION) in graph
    assert (ref, URIRef(f"{DCATAP}hvdCategory"), URIRef(HVD_STATISTICS)) in graph

    distributions = list(graph.objects(ref, DCAT.distribution))
    assert len(distributions) == 2
    licences = {graph.value(d, DCTERMS.license) for d in distributions}
    assert licences == {URIRef(f"{EU}licence/CC_BY_4_0")}
    formats = {graph.value(d, DCTERMS["format"]) for d in distributions}
    assert formats == {URIRef(f"{EU}file-type/CSV"), URIRef(f"{EU}file-type/XLSX")}
    for distribution in distributions:
        assert str(graph.value(distribution, DCAT.accessURL)).startswith("https://")
        assert graph.value(distribution, DCTERMS.title).language == "pl"
        assert str(graph.value(distribution, DCAT.mediaType)).startswith(
            "https://www.iana.org/assignments/media-types/"
        )


def test_english_title_is_tagged_en(app):
    dataset = full_dataset(bdom_title_en="Population of the city")
    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")
    ref = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert (ref, DCTERMS.title, Literal("Population of the city", lang="en")) in graph


def test_catalogue_node(app):
    BdomDataset()
    graph = _graph(app, "/catalog.ttl")
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))

    assert graph.value(catalogue, DCTERMS.title).language == "pl"
    assert graph.value(catalogue, DCTERMS.description).language == "pl"
    assert graph.value(catalogue, FOAF.homepage) is not None
    assert set(graph.objects(catalogue, DCTERMS.language)) == {
        URIRef(f"{EU}language/POL"),
        URIRef(f"{EU}language/ENG"),
    }
    publisher = graph.value(catalogue, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert graph.value(publisher, FOAF.name).language == "pl"
    assert (catalogue, DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")) in graph
    assert (URIRef(f"{EU}data-theme"), RDF.type, SKOS.ConceptScheme) in graph


def test_unpublished_datasets_never_appear(app):
    draft = DraftDataset()
    sysadmin = factories.SysadminWithToken()
    headers = {"Authorization": sysadmin["token"]}

    for fmt in ("ttl", "rdf", "jsonld"):
        response = app.get(f"/dataset/{draft['id']}.{fmt}", headers=headers)
        assert response.status_code == 404
    catalogue = app.get("/catalog.ttl", headers=headers).get_data(as_text=True)
    assert draft["id"] not in catalogue
    response = app.get(
        f"/dataset/{draft['id']}.ttl", headers=headers, query_string={"profiles": "euro_dcat_ap_3"}
    )
    assert response.status_code == 404
