"""A read-only SPARQL 1.1 Protocol endpoint over the public DCAT graph.

dane.gov.pl's DCAT route sends a stored query (normally a CONSTRUCT) to a
SPARQL endpoint with rdflib's ``SPARQLStore`` and parses the answer as
RDF/XML. This module answers such requests from ``graph.public_graph()``:

* ``GET ?query=``, ``POST`` form-encoded (``query=``) or direct
  (``application/sparql-query``);
* SELECT / ASK give SPARQL results in JSON (default) or XML (CSV for SELECT);
  CONSTRUCT / DESCRIBE give RDF/XML (default), Turtle, JSON-LD or N-Triples,
  chosen by ``Accept``;
* updates are refused (400); a malformed query gets 400 with the parser's
  message; a query running longer than ``sparql_timeout`` is stopped (503);
  an answer larger than ``sparql_max_results`` is refused (400);
* answers are cached in Redis by query, media type and catalogue version
  (``ckanext.bdom.dcat_cache.ttl``), so the stored query a harvester repeats
  is evaluated once per change of the catalogue.

Every message is in Polish and English.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseException
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery, prepareUpdate
from rdflib.plugins.sparql.sparql import Query

import ckan.plugins.toolkit as tk

from ckanext.bdom.danegovpl import config, graph
from ckanext.bdom.dcat_cache import store

MAX_QUERY_LENGTH = 100_000

TABLE_FORMATS = {  # media type -> rdflib result format
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "application/json": "json",
    "application/xml": "xml",
    "text/csv": "csv",
}
GRAPH_FORMATS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/xml": "xml",
}
QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class SparqlError(Exception):
    """A request we refuse; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str


def query_from_request(request: Any) -> str:
    """The query text of a SPARQL 1.1 Protocol request."""
    media_type = (request.mimetype or "").lower()
    if (
        "update" in request.args
        or "update" in request.form
        or media_type == ("application/sparql-update")
    ):
        raise SparqlError(_read_only_message())
    if request.method == "POST" and media_type == "application/sparql-query":
        text = request.get_data(as_text=True)
    elif request.method == "POST" and media_type == "application/x-www-form-urlencoded":
        text = request.form.get("query", "")
    elif request.method == "POST":
        raise SparqlError(
            tk._(
                "Zapytanie POST musi mieć typ application/x-www-form-urlencoded lub "
                "application/sparql-query. / A POST query must be "
                "application/x-www-form-urlencoded or application/sparql-query."
            ),
            415,
        )
    else:
        text = request.args.get("query", "")
    if not text.strip():
        raise SparqlError(
            tk._("Brak zapytania SPARQL (parametr query). / No SPARQL query (parameter query).")
        )
    if len(text) > MAX_QUERY_LENGTH:
        raise SparqlError(tk._("Zapytanie jest za długie. / The query is too long."), 413)
    return text


def _read_only_message() -> str:
    return tk._(
        "Punkt dostępowy SPARQL służy tylko do odczytu: zmiany danych są niedozwolone. / "
        "The SPARQL endpoint is read-only: updates are not allowed."
    )


def parse(text: str) -> Query:
    """The prepared query; SparqlError for updates and malformed queries."""
    try:
        return prepareQuery(text)
    except ParseException as error:
        try:
            prepareUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: report the query error
            pass
        else:
            raise SparqlError(_read_only_message()) from error
        message = tk._("Błędne zapytanie SPARQL: {error} / Malformed SPARQL query: {error}")
        raise SparqlError(message.format(error=error)) from error
    except Exception as error:  # rdflib raises plain exceptions for bad prefixes etc.
        message = tk._("Błędne zapytanie SPARQL: {error} / Malformed SPARQL query: {error}")
        raise SparqlError(message.format(error=error)) from error


def query_form(query: Query) -> str:
    return QUERY_FORMS.get(query.algebra.name, "SELECT")


def negotiate(form: str, accept: Any) -> tuple[str, str]:
    """(media type, rdflib format) of the answer, from the Accept header."""
    offers = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else dict(TABLE_FORMATS)
    if form == "ASK":
        offers.pop("text/csv", None)
    best = accept.best_match(list(offers)) if accept else None
    media_type = best or next(iter(offers))
    return media_type, offers[media_type]


def _too_large() -> SparqlError:
    return SparqlError(
        tk._(
            "Wynik ma więcej niż {limit} wierszy lub trójek: zawęź zapytanie lub dodaj LIMIT. / "
            "The result has more than {limit} rows or triples: narrow the query or add LIMIT."
        ).format(limit=config.sparql_max_results())
    )


def _evaluate(public: Graph, query: Query, form: str, rdf_format: str) -> bytes:
    limit = config.sparql_max_results()
    result = public.query(query)
    if form in ("CONSTRUCT", "DESCRIBE"):
        if len(result.graph) > limit:
            raise _too_large()
        return result.graph.serialize(format=rdf_format, encoding="utf-8")
    if form == "SELECT" and len(result.bindings) > limit:
        raise _too_large()
    return result.serialize(format=rdf_format, encoding="utf-8")


class _QueryTimeoutError(Exception):
    """Raised inside a query thread that ran out of time."""


def _stop(thread: threading.Thread) -> None:
    """Raise _QueryTimeoutError in ``thread`` (rdflib evaluates queries in Python, so
    the exception lands at its next bytecode)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident or 0), ctypes.py_object(_QueryTimeoutError)
    )


def answer(text: str, accept: Any) -> Answer:
    """The answer to the query ``text``, from the cache when the same query
    was asked since the catalogue last changed (dane.gov.pl asks the same
    stored query every time); else evaluated on the public graph."""
    query = parse(text)
    form = query_form(query)
    media_type, rdf_format = negotiate(form, accept)
    version = store.catalogue_version()
    cache_key = store.key("sparql", " ".join(text.split()), media_type, version)
    body = store.cached(
        cache_key,
        lambda: run(graph.public_graph(version), query, form, rdf_format).decode("utf-8"),
    )
    charset = "" if rdf_format == "json-ld" else "; charset=utf-8"
    return Answer(body.encode("utf-8"), f"{media_type}{charset}")


def run(public: Graph, query: Query, form: str, rdf_format: str) -> bytes:
    """Evaluate ``query`` within the timeout; the serialized answer."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["body"] = _evaluate(public, query, form, rdf_format)
        except _QueryTimeoutError:
            pass
        except Exception as error:  # noqa: BLE001 - reported to the client below
            outcome["error"] = error

    worker = threading.Thread(target=work, name="bdom-sparql", daemon=True)
    worker.start()
    worker.join(config.sparql_timeout())
    if worker.is_alive():
        _stop(worker)
        raise SparqlError(
            tk._(
                "Zapytanie trwało dłużej niż {seconds} s i zostało przerwane. / "
                "The query ran longer than {seconds} s and was stopped."
            ).format(seconds=config.sparql_timeout()),
            503,
        )
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, SparqlError):
            raise error
        message = tk._("Błąd wykonania zapytania: {error} / The query failed: {error}")
        raise SparqlError(message.format(error=error)) from error
    return outcome["body"]
