"""Shared helpers of the dane.gov.pl tests: a full BDoM dataset and SHACL."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph

from tests.factories import BdomDataset, Steward

DATA = Path(__file__).parent / "data"
SHACL = DATA / "shacl"
EU_VOCABULARIES = DATA / "eu-vocabularies.ttl"
XSD_1_10 = DATA / "danegovpl" / "xml_import_otwarte_dane_1_10.xsd"

# Mandatory and recommended shapes with the class ranges, whose sh:class
# skos:Concept / dct:Frequency / ... checks are the vocabulary membership
# checks. The separate mdr-vocabularies shapes are not applied: they require
# every publisher to be in the EU corporate-body table and spatial coverage to
# be an IRI of the EU country/place tables or GeoNames, which a Polish city
# and its TERYT areas are not.
SHAPES = {
    "DCAT-AP 3.0.0 (dcat-ap-SHACL.ttl)": ["3.0.0/dcat-ap-SHACL.ttl"],
    "DCAT-AP 3.0.0": [
        "3.0.0/shapes.ttl",
        "3.0.0/shapes_recommended.ttl",
        "3.0.0/range.ttl",
    ],
    "DCAT-AP 2.1.1": [
        "2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl",
        "2.1.1/dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
        "2.1.1/dcat-ap_2.1.1_shacl_range.ttl",
    ],
}

EU = "http://publications.europa.eu/resource/authority/"
HVD_STATISTICS = "http://data.europa.eu/bna/c_e1da4e07"


def shapes(name: str, recommended: bool = True) -> Graph:
    graph = Graph()
    for file_name in SHAPES[name]:
        if recommended or "recommended" not in file_name:
            graph.parse(SHACL / file_name, format="turtle")
    return graph


def shacl_report(data: Graph, shapes_name: str, recommended: bool = True) -> tuple[bool, str]:
    """Validate ``data`` against a set of shapes, warnings included, with
    the EU vocabulary entries we use added to the data graph (pySHACL mixes
    an ``ont_graph`` in only when it runs inference)."""
    with_vocabularies = Graph().parse(EU_VOCABULARIES, format="turtle")
    with_vocabularies += data
    conforms, _, text = pyshacl.validate(
        with_vocabularies,
        shacl_graph=shapes(shapes_name, recommended),
        inference="none",
        allow_warnings=not recommended,
        allow_infos=False,
        advanced=True,
    )
    return conforms, text


def full_dataset(**overrides) -> dict:
    """A published dataset with every field dane.gov.pl and DCAT-AP read."""
    values = {
        "title": "Liczba ludności miasta",
        "notes": "Liczba mieszkańców według stanu na 31 grudnia.",
        "tag_string": "ludność,demografia",
        "theme": [f"{EU}data-theme/SOCI", f"{EU}data-theme/REGI"],
        "frequency": f"{EU}frequency/ANNUAL",
        "license_id": "cc-by",
        "temporal_coverage": [{"start": "2015-01-01", "end": "2024-12-31"}],
        "contact": [{"name": "Koordynator danych", "email": "dane@example.invalid"}],
        "bdom_has_high_value_data": "true",
        "hvd_category": [HVD_STATISTICS],
        "bdom_has_dynamic_data": "false",
        "bdom_has_research_data": "false",
        "bdom_condition_source": "true",
        "bdom_condition_modification": "true",
        "owner_org": Steward()["id"],
        "resources": [
            {
                "name": "Ludność 2015–2024",
                "description": "Ludność ogółem, kobiety i mężczyźni.",
                "url": "https://dane.example.invalid/ludnosc.csv",
                "format": "CSV",
            },
            {
                "name": "Ludność 2015–2024 (arkusz)",
                "url": "https://dane.example.invalid/ludnosc.xlsx",
                "format": "XLSX",
            },
        ],
    }
    values.update(overrides)
    return BdomDataset(**values)
