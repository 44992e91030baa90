"""Openness score of a dataset: Tim Berners-Lee's 5 stars, from resource formats.

The score says how reusable the best form of the data is:

=====  =======================================================  ===========================
stars  meaning                                                  formats
=====  =======================================================  ===========================
1      on the web under an open licence, in any format          PDF, DOC, DOCX, ODT, RTF,
                                                                HTML, TXT, JPG, PNG, ... and
                                                                every format not listed
2      structured, machine-readable, in a proprietary format    XLS, XLSX, SHP, DBF, MDB
3      structured in an open, non-proprietary format            CSV, TSV, JSON, XML, ODS,
                                                                GeoJSON, KML, GML, GPX
4      described with W3C standards (RDF) so things have URIs   RDF, RDF/XML, TTL, N3, NT,
                                                                JSON-LD, N-Quads, TriG
5      linked data: RDF linked to other people's data           LOD, Linked Data, SPARQL
=====  =======================================================  ===========================

A resource's format comes from its ``format`` field (a name such as ``CSV`` or
a media type such as ``text/csv``); when that is empty, from the extension of
its URL. An RDF file cannot be told apart from linked data by its format, so it
scores 4 unless its format says linked data (``LOD``, ``Linked Data``) or the
resource is a SPARQL endpoint. The dataset scores as its best resource; a
dataset without resources has no score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STARS: dict[str, int] = {
    **dict.fromkeys(("XLS", "XLSX", "SHP", "DBF", "MDB"), 2),
    **dict.fromkeys(("CSV", "TSV", "JSON", "XML", "ODS", "GEOJSON", "KML", "GML", "GPX"), 3),
    **dict.fromkeys(("RDF", "RDF/XML", "TTL", "TURTLE", "N3", "NT", "N-TRIPLES"), 4),
    **dict.fromkeys(("JSON-LD", "JSONLD", "NQ", "N-QUADS", "TRIG"), 4),
    **dict.fromkeys(("LOD", "LINKED DATA", "SPARQL"), 5),
}

MEDIA_TYPES: dict[str, str] = {
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/geo+json": "GEOJSON",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/rdf+xml": "RDF",
    "text/turtle": "TTL",
    "text/n3": "N3",
    "application/n-triples": "NT",
    "application/ld+json": "JSON-LD",
    "application/sparql-query": "SPARQL",
}


def normalise_format(fmt: str | None, url: str | None = None) -> str:
    """``'text/csv'`` → ``'CSV'``, ``'.xlsx'`` → ``'XLSX'``; empty: the URL's extension."""
    text = (fmt or "").strip()
    if not text and url:
        path = url.split("?", 1)[0].split("#", 1)[0]
        last = path.rsplit("/", 1)[-1]
        text = last.rsplit(".", 1)[-1] if "." in last else ""
    lowered = text.lower()
    if lowered in MEDIA_TYPES:
        return MEDIA_TYPES[lowered]
    return text.lstrip(".").upper()


def format_stars(fmt: str | None, url: str | None = None) -> int:
    """Stars of one resource; any published format earns at least 1."""
    return STARS.get(normalise_format(fmt, url), 1)


def openness_score(resources: Iterable[Mapping[str, Any]]) -> int | None:
    """Stars of a dataset: those of its best resource; ``None`` without resources."""
    scores = [format_stars(r.get("format"), r.get("url")) for r in resources]
    return max(scores) if scores else None
