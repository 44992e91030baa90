"""Published datasets in dane.gov.pl's XML import format 1.10.

The only route that carries the Polish-law fields: bilingual titles and
descriptions, the update frequency, the conditions of re-use and the
``hasDynamicData`` / ``hasHighValueData`` / ``hasResearchData`` flags.

dane.gov.pl rejects the whole import when one record is invalid, so a
dataset that cannot be valid (no category, no https resource) is left out and
logged, and texts longer than the format allows are shortened. A portal served
from this machine (``ckan.site_url`` on localhost, as in development) has only
http addresses; there they are accepted, so the document can be looked at,
although dane.gov.pl would refuse it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

import ckan.plugins.toolkit as tk

from ckanext.bdom.danegovpl import vocab
from ckanext.bdom.danegovpl.profile import english_values
from ckanext.bdom.danegovpl.published import published_datasets

log = logging.getLogger(__name__)

VERSION = "1.10"
NAMESPACE = f"urn:otwarte-dane:harvester:{VERSION}"
TITLE_MAX = 300
DESCRIPTION_MAX = 1000
CONDITION_MAX = 4000
REGIONS_MAX = 20
FLAGS = (
    ("hasDynamicData", "bdom_has_dynamic_data"),
    ("hasHighValueData", "bdom_has_high_value_data"),
    ("hasResearchData", "bdom_has_research_data"),
)


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _bool(value: Any) -> str:
    return "true" if str(value).lower() == "true" else "false"


def _datetime(value: str | None) -> str | None:
    """CKAN's UTC timestamps as xs:dateTime."""
    return f"{value[:19]}Z" if value else None


def _bilingual(
    parent: etree._Element, name: str, polish: str, english: str | None, limit: int
) -> None:
    element = _el(parent, name)
    _el(element, "polish", _shorten(polish, limit))
    if english and english.strip():
        _el(element, "english", _shorten(english, limit))


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _accepted_schemes() -> tuple[str, ...]:
    host = urlsplit(tk.config.get("ckan.site_url") or "").hostname or ""
    return ("https://", "http://") if host in LOCAL_HOSTS else ("https://",)


def _https_resources(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    schemes = _accepted_schemes()
    return [r for r in dataset.get("resources") or [] if (r.get("url") or "").startswith(schemes)]


def _categories(dataset: dict[str, Any]) -> list[str]:
    codes = (vocab.theme_code(theme) for theme in dataset.get("theme") or [])
    return [code for code in codes if code]


def _conditions(parent: etree._Element, dataset: dict[str, Any]) -> None:
    conditions = _el(parent, "conditions")
    _el(conditions, "source", _bool(dataset.get("bdom_condition_source")))
    _el(conditions, "modification", _bool(dataset.get("bdom_condition_modification")))
    texts = (
        ("responsibilities", "bdom_condition_responsibilities"),
        ("personalData", "bdom_condition_personal_data"),
    )
    for name, key in texts:
        if dataset.get(key):
            _el(conditions, name, _shorten(dataset[key], CONDITION_MAX))
    licence = dataset.get("bdom_condition_db_or_copyrighted_license")
    if dataset.get("bdom_condition_db_or_copyrighted") and licence:
        text = _shorten(dataset["bdom_condition_db_or_copyrighted"], CONDITION_MAX)
        _el(conditions, "dbOrCopyrighted", text)
        _el(conditions, "dbOrCopyrightedLicenseChosen", licence)


def _resource(parent: etree._Element, resource: dict[str, Any], dataset: dict[str, Any]) -> None:
    element = _el(parent, "resource", status="published")
    _el(element, "extIdent", resource["id"])
    _el(element, "url", resource["url"])
    title = resource.get("name") or dataset["title"]
    _bilingual(element, "title", title, None, TITLE_MAX)
    _bilingual(element, "description", resource.get("description") or title, None, DESCRIPTION_MAX)
    _el(element, "availability", "local" if resource.get("url_type") == "upload" else "remote")
    if resource.get("bdom_data_updated"):
        _el(element, "dataDate", str(resource["bdom_data_updated"])[:10])
    updated = _datetime(resource.get("last_modified") or resource.get("metadata_modified"))
    if updated:
        _el(element, "lastUpdateDate", updated)
    for name, key in FLAGS:
        _el(element, name, _bool(dataset.get(key)))
    _regions(element, dataset)


def _regions(parent: etree._Element, dataset: dict[str, Any]) -> None:
    codes = [str(row.get("bdom_teryt") or "") for row in dataset.get("spatial_coverage") or []]
    codes = [code for code in codes if 2 <= len(code) <= 7][:REGIONS_MAX]
    if codes:
        regions = _el(parent, "regions")
        for code in codes:
            _el(regions, "terytIdent", code)


def _tags(parent: etree._Element, dataset: dict[str, Any]) -> None:
    tags = _el(parent, "tags")
    for tag in dataset.get("tags") or []:
        _el(tags, "tag", tag["name"], lang="pl")
    for tag in english_values(dataset, "bdom_tags_en"):
        _el(tags, "tag", tag, lang="en")


def _dataset(parent: etree._Element, dataset: dict[str, Any]) -> bool:
    """Append ``dataset``; False (and nothing appended) if it cannot be valid."""
    resources = _https_resources(dataset)
    categories = _categories(dataset)
    if not resources or not categories or not dataset.get("tags"):
        log.warning(
            "dane.gov.pl XML: %s left out (https resources: %s, categories: %s, tags: %s)",
            dataset["name"],
            len(resources),
            len(categories),
            len(dataset.get("tags") or []),
        )
        return False
    element = _el(parent, "dataset", status="published")
    _el(element, "extIdent", dataset["id"])
    _bilingual(element, "title", dataset["title"], dataset.get("bdom_title_en"), TITLE_MAX)
    notes = dataset.get("notes") or dataset["title"]
    _bilingual(element, "description", notes, dataset.get("bdom_notes_en"), DESCRIPTION_MAX)
    site_url = tk.config["ckan.site_url"].rstrip("/")
    _el(element, "url", f"{site_url}/dataset/{dataset['name']}")
    frequency = vocab.XML_FREQUENCY.get(dataset.get("frequency") or "", vocab.XML_FREQUENCY_DEFAULT)
    _el(element, "updateFrequency", frequency)
    category_list = _el(element, "categories")
    for code in categories:
        _el(category_list, "category", code)
    _conditions(element, dataset)
    resource_list = _el(element, "resources")
    for resource in resources:
        _resource(resource_list, resource, dataset)
    _tags(element, dataset)
    updated = _datetime(dataset.get("metadata_modified"))
    if updated:
        _el(element, "lastUpdateDate", updated)
    for name, key in FLAGS:
        _el(element, name, _bool(dataset.get(key)))
    return True


def render(datasets: Iterable[dict[str, Any]] | None = None) -> str | None:
    """The XML document of the published datasets; None when there is none
    (the format requires at least one dataset)."""
    root = etree.Element(f"{{{NAMESPACE}}}datasets", nsmap={None: NAMESPACE})
    written = sum(
        _dataset(root, d) for d in (published_datasets() if datasets is None else datasets)
    )
    if not written:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )


def md5(document: str) -> str:
    return hashlib.md5(document.encode("utf-8"), usedforsecurity=False).hexdigest()
