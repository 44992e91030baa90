"""Search facets: steward, category, ISO 37120 theme, frequency, format, source.

Multi-valued schema fields (EU themes, ISO 37120 themes) are stored as JSON
lists; they are indexed into CKAN's multi-valued ``vocab_*`` Solr fields so
each value counts on its own. Facet values that are codes or IRIs get their
label from the dataset schema's choices, in the current language.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import flask

import ckan.plugins.toolkit as tk

from ckanext.bdom import helpers
from ckanext.bdom.lib import lists

THEME = "vocab_bdom_theme"
ISO37120 = "vocab_bdom_iso37120"

# schema field holding a list -> the Solr field it is indexed into
LIST_FIELDS = {"theme": THEME, "bdom_iso37120_themes": ISO37120}
# facet -> the schema field whose choices label its values
LABELLED = {
    THEME: "theme",
    ISO37120: "bdom_iso37120_themes",
    "frequency": "frequency",
    "bdom_source": "bdom_source",
}


def dataset_facets(facets: OrderedDict[str, Any]) -> OrderedDict[str, Any]:
    """Our facets first, then CKAN's groups, tags and licences."""
    ours: OrderedDict[str, Any] = OrderedDict(
        [
            ("organization", tk._("Data steward")),
            (THEME, tk._("Category")),
            (ISO37120, tk._("ISO 37120 theme")),
            ("frequency", tk._("Update frequency")),
            ("res_format", facets.get("res_format") or tk._("Formats")),
            ("bdom_source", tk._("Data source")),
        ]
    )
    for name, title in facets.items():
        if name not in ours and name != "res_format":
            ours[name] = title
    return ours


def index_lists(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Put each list field's values into its multi-valued Solr field."""
    for field, solr_field in LIST_FIELDS.items():
        values = lists.as_list(pkg_dict.get(field))
        if values:
            pkg_dict[solr_field] = values
    return pkg_dict


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Give coded facet values (IRIs, codes) their labels; labels follow the
    request's language, so outside a request (jobs, CLI) values stay codes."""
    if not flask.has_request_context():
        return search_results
    for facet, field in LABELLED.items():
        for item in search_results.get("search_facets", {}).get(facet, {}).get("items", []):
            item["display_name"] = helpers.bdom_choice_label(field, item["name"])
    return search_results
