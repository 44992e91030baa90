"""Flask views of ``bdom_danegovpl``: the XML export, /sparql, the officer's page."""

from __future__ import annotations

import flask
from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.bdom.danegovpl import sparql, xml_export
from ckanext.bdom.dcat_cache import store

danegovpl = Blueprint("bdom_danegovpl", __name__)

XML_CONTENT_TYPE = "application/xml; charset=utf-8"


def _xml_document() -> str:
    """The XML export, cached in Redis until the catalogue changes ("" when
    there is no published dataset)."""
    cache_key = store.key("dane-gov-pl-xml", xml_export.VERSION, store.catalogue_version())
    return store.cached(cache_key, lambda: xml_export.render() or "")


def _no_datasets() -> flask.Response:
    message = tk._("Brak opublikowanych zbiorów danych. / There are no published datasets.")
    return flask.Response(message, status=404, mimetype="text/plain")


@danegovpl.route("/dane-gov-pl.xml")
def xml() -> flask.Response:
    document = _xml_document()
    if not document:
        return _no_datasets()
    return flask.Response(document, content_type=XML_CONTENT_TYPE)


@danegovpl.route("/dane-gov-pl.xml.md5")
def xml_md5() -> flask.Response:
    document = _xml_document()
    if not document:
        return _no_datasets()
    return flask.Response(xml_export.md5(document), mimetype="text/plain")


SPARQL_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def _published_count() -> int:
    return int(store.catalogue_version().split(":", 1)[0])


@danegovpl.route("/dane-gov-pl")
def connect() -> str:
    """The officer's page: how to connect the portal to dane.gov.pl."""
    site_url = tk.config["ckan.site_url"].rstrip("/")
    document = _xml_document()
    return tk.render(
        "bdom/danegovpl/connect.html",
        {
            "site_url": site_url,
            "https": site_url.startswith("https://"),
            "api_url": f"{site_url}/api/3/action/current_package_list_with_resources?limit=1000",
            "xml_url": f"{site_url}/dane-gov-pl.xml",
            "sparql_url": f"{site_url}/sparql",
            "catalog_url": f"{site_url}/catalog.rdf",
            "sparql_query": SPARQL_QUERY,
            "published": _published_count(),
            "in_xml": document.count("<dataset ") if document else 0,
            "api_limit": 1000,
        },
    )


@danegovpl.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint() -> flask.Response:
    """SPARQL 1.1 Protocol, read-only, over the public DCAT graph."""
    try:
        text = sparql.query_from_request(flask.request)
        answer = sparql.answer(text, flask.request.accept_mimetypes)
    except sparql.SparqlError as error:
        return flask.Response(str(error), status=error.status, mimetype="text/plain")
    response = flask.Response(answer.body, content_type=answer.content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept")
    return response


def get_blueprints() -> list[Blueprint]:
    # machines POST queries to /sparql: no CSRF token (it changes nothing)
    from ckan.config.middleware.flask_app import csrf

    csrf.exempt(sparql_endpoint)
    return [danegovpl]
