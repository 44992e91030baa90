"""The ``bdom_dcat_ap_pl`` RDF profile, stacked after ``euro_dcat_ap_3``.

Additive: ``euro_dcat_ap_3`` writes the graph from the BDoM schema (the field
names follow ckanext-dcat's scheming conventions); this profile then fixes
what DCAT-AP 3.0.0 / 2.1.1 and dane.gov.pl expect and the upstream profile
leaves out or writes in another form:

* Polish language tags on titles, descriptions and keywords (English ones
  from ``bdom_title_en``/``bdom_notes_en``/``bdom_tags_en`` when given);
* the city as publisher (a ``foaf:Agent`` with ``foaf:name``@pl and the ADMS
  publisher type for a local authority), on the catalogue and every dataset;
* a ``vcard`` contact point with an e-mail on every dataset;
* spatial coverage as ``dct:Location`` with the TERYT code, and the city's
  centroid and bounding box when it is the whole city;
* ``xsd:dateTime`` issue and modification dates, ``dct:accessRights`` PUBLIC;
* per distribution: an access URL, Polish title and description, EU file
  type and IANA media type IRIs, availability, and the dataset's licence as
  an EU licence IRI (the same on all distributions); no byte size, whose
  datatype differs between DCAT-AP 2.1.1 and 3.0.0;
* on the catalogue: description, EU language IRIs, licence, spatial
  coverage, theme taxonomy and issue date.

Only published datasets are ever described: anything else is removed.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

import ckan.plugins.toolkit as tk

from ckanext.dcat.profiles import (
    DCAT,
    DCATAP,
    DCT,
    FOAF,
    GSP,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
    RDFProfile,
)
from ckanext.dcat.utils import catalog_uri

from ckanext.bdom import config as bdom_config
from ckanext.bdom.danegovpl import config, vocab
from ckanext.bdom.danegovpl.published import is_published

LICENCE_TYPES: dict[str, tuple[str, ...]] = {
    "cc-zero": ("PublicDomain",),
    "cc-by": ("Attribution",),
    "cc-by-sa": ("Attribution", "ShareAlike"),
    "cc-nc": ("Attribution", "NonCommercialUseOnly"),
}
LICENCE_TYPE = "http://purl.org/adms/licencetype/"
UNKNOWN_IPR = URIRef(f"{LICENCE_TYPE}UnknownIPR")
TAGGED = (DCT.title, DCT.description, DCAT.keyword)
ENGLISH_FIELDS = (
    ("bdom_title_en", DCT.title),
    ("bdom_notes_en", DCT.description),
    ("bdom_tags_en", DCAT.keyword),
)


def publisher_ref() -> URIRef:
    """The city, publisher of the catalogue and of every dataset."""
    return URIRef(f"{catalog_uri().rstrip('/')}/#publisher")


class BdomDCATAPPLProfile(RDFProfile):
    """DCAT-AP 3 for a Polish city, harvestable by dane.gov.pl."""

    def __init__(
        self, graph: Graph, dataset_type: str = "dataset", compatibility_mode: bool = False
    ) -> None:
        # RDFProfile loads the scheming schema through an action call for
        # every dataset serialized; this profile reads plain dict keys
        self.g = graph
        self.compatibility_mode = compatibility_mode
        self._default_lang = tk.config["ckan.locale_default"]
        self._default_locale_lang = None

    # --- datasets -------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        if not is_published(dataset_dict):
            for distribution in list(self.g.objects(dataset_ref, DCAT.distribution)):
                self._remove_tree(distribution)
            self._remove_tree(dataset_ref)
            return
        self._tag_languages(dataset_ref, dataset_dict)
        self._set_publisher(dataset_ref)
        self._ensure_contact(dataset_ref)
        self._set_spatial(dataset_ref, dataset_dict.get("spatial_coverage") or [])
        self._ensure_datetimes(dataset_ref)
        self.g.set((dataset_ref, DCT.accessRights, URIRef(vocab.PUBLIC)))
        self.g.add((URIRef(vocab.PUBLIC), RDF.type, DCT.RightsStatement))
        licence = _licence(dataset_dict)
        resources = {r.get("uri") or r["id"]: r for r in dataset_dict.get("resources") or []}
        for distribution in list(self.g.objects(dataset_ref, DCAT.distribution)):
            # resource_uri(): the resource's ``uri``, else …/resource/<id>
            resource = resources.get(str(distribution)) or resources.get(
                str(distribution).rsplit("/", 1)[-1]
            )
            if resource is not None:
                self._distribution(distribution, resource, dataset_dict, licence)

    def _tag_languages(self, dataset_ref: URIRef, dataset_dict: dict[str, Any]) -> None:
        for predicate in TAGGED:
            self._tag_polish(dataset_ref, predicate)
        for key, predicate in ENGLISH_FIELDS:
            for value in english_values(dataset_dict, key):
                self.g.add((dataset_ref, predicate, Literal(value, lang="en")))

    def _tag_polish(self, subject: Node, predicate: URIRef) -> None:
        for value in list(self.g.objects(subject, predicate)):
            if isinstance(value, Literal) and not value.language and value.datatype is None:
                self.g.remove((subject, predicate, value))
                if str(value).strip():
                    self.g.add((subject, predicate, Literal(str(value).strip(), lang="pl")))

    def _set_publisher(self, subject: URIRef) -> None:
        for old in list(self.g.objects(subject, DCT.publisher)):
            self.g.remove((subject, DCT.publisher, old))
            if not any(self.g.subject_predicates(old)):
                self._remove_tree(old)
        publisher = publisher_ref()
        self.g.add((subject, DCT.publisher, publisher))
        if (publisher, RDF.type, FOAF.Agent) in self.g:
            return
        self.g.add((publisher, RDF.type, FOAF.Agent))
        self.g.add((publisher, FOAF.name, Literal(config.publisher_name(), lang="pl")))
        self.g.add((publisher, DCT.type, URIRef(vocab.LOCAL_AUTHORITY)))
        self.g.add((publisher, FOAF.homepage, URIRef(bdom_config.homepage_url())))
        self.g.add((URIRef(bdom_config.homepage_url()), RDF.type, FOAF.Document))

    def _ensure_contact(self, dataset_ref: URIRef) -> None:
        contacts = list(self.g.objects(dataset_ref, DCAT.contactPoint))
        if not contacts:
            contact = BNode()
            self.g.add((dataset_ref, DCAT.contactPoint, contact))
            self.g.add((contact, RDF.type, VCARD.Kind))
            self.g.add((contact, VCARD.fn, Literal(config.publisher_name(), lang="pl")))
            contacts = [contact]
        email = config.contact_email()
        for contact in contacts:
            if email and (contact, VCARD.hasEmail, None) not in self.g:
                self.g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    def _set_spatial(self, subject: Node, rows: list[dict[str, Any]]) -> None:
        for old in list(self.g.objects(subject, DCT.spatial)):
            self.g.remove((subject, DCT.spatial, old))
            if not any(self.g.subject_predicates(old)):
                self._remove_tree(old)
        for row in rows:
            self.g.add((subject, DCT.spatial, self._location(row)))

    def _location(self, row: dict[str, Any]) -> BNode:
        location = BNode()
        self.g.add((location, RDF.type, DCT.Location))
        teryt = str(row.get("bdom_teryt") or "").strip()
        if row.get("text"):
            self.g.add((location, SKOS.prefLabel, Literal(row["text"], lang="pl")))
        if teryt:
            self.g.add((location, DCT.identifier, Literal(teryt)))
        if teryt == bdom_config.teryt():
            self.g.add(
                (location, DCAT.centroid, Literal(config.city_centroid(), datatype=GSP.wktLiteral))
            )
            self.g.add((location, DCAT.bbox, Literal(config.city_bbox(), datatype=GSP.wktLiteral)))
        return location

    def _ensure_datetimes(self, subject: Node) -> None:
        """dane.gov.pl reads issue and modification dates only as xsd:dateTime."""
        for predicate in (DCT.issued, DCT.modified):
            for value in list(self.g.objects(subject, predicate)):
                if isinstance(value, Literal) and value.datatype == XSD.date:
                    self.g.remove((subject, predicate, value))
                    self.g.add(
                        (subject, predicate, Literal(f"{value}T00:00:00", datatype=XSD.dateTime))
                    )

    # --- distributions --------------------------------------------------------

    def _distribution(
        self,
        distribution: URIRef,
        resource: dict[str, Any],
        dataset_dict: dict[str, Any],
        licence: URIRef | None,
    ) -> None:
        g = self.g
        if resource.get("url") and (distribution, DCAT.accessURL, None) not in g:
            g.add((distribution, DCAT.accessURL, URIRef(resource["url"])))
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for url in g.objects(distribution, predicate):
                g.add((url, RDF.type, RDFS.Resource))
        title = resource.get("name") or dataset_dict.get("title") or ""
        if (distribution, DCT.title, None) not in g and title:
            g.add((distribution, DCT.title, Literal(title)))
        if (distribution, DCT.description, None) not in g and title:
            g.add((distribution, DCT.description, Literal(title)))
        for predicate in (DCT.title, DCT.description):
            self._tag_polish(distribution, predicate)
        self._set_format(distribution, resource)
        if (distribution, DCATAP.availability, None) not in g:
            g.add((distribution, DCATAP.availability, URIRef(vocab.STABLE)))
        # DCAT-AP 2.1.1 wants the size as xsd:decimal, 3.0.0 as
        # xsd:nonNegativeInteger: no value meets both, and it is optional
        g.remove((distribution, DCAT.byteSize, None))
        self._ensure_datetimes(distribution)
        for old in list(g.objects(distribution, DCT.license)):
            g.remove((distribution, DCT.license, old))
        if licence is not None:
            g.add((distribution, DCT.license, licence))
            self._describe_licence(licence, dataset_dict.get("license_id"))

    def _set_format(self, distribution: URIRef, resource: dict[str, Any]) -> None:
        file_type, media_type = vocab.file_type(resource.get("format"))
        if file_type is None:
            return
        for predicate in (DCT["format"], DCAT.mediaType):
            self.g.remove((distribution, predicate, None))
        self.g.add((distribution, DCT["format"], URIRef(file_type)))
        self.g.add((URIRef(file_type), RDF.type, DCT.MediaTypeOrExtent))
        if media_type:
            self.g.add((distribution, DCAT.mediaType, URIRef(media_type)))
            self.g.add((URIRef(media_type), RDF.type, DCT.MediaType))

    def _describe_licence(self, licence: URIRef, license_id: str | None) -> None:
        # ckanext-dcat types every distribution's licence as UnknownIPR
        self.g.remove((licence, DCT.type, UNKNOWN_IPR))
        if (licence, DCT.type, None) in self.g:
            return
        self.g.add((licence, RDF.type, DCT.LicenseDocument))
        for code in LICENCE_TYPES.get(license_id or "", ()):
            self.g.add((licence, DCT.type, URIRef(f"{LICENCE_TYPE}{code}")))

    # --- the catalogue --------------------------------------------------------

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        g = self.g
        if (catalog_ref, DCT.description, None) not in g:
            description = tk._("Open data of {city}: datasets of the city and its units.")
            g.add(
                (
                    catalog_ref,
                    DCT.description,
                    Literal(description.format(city=bdom_config.city_name())),
                )
            )
        for predicate in (DCT.title, DCT.description):
            self._tag_polish(catalog_ref, predicate)
        g.remove((catalog_ref, DCT.language, None))
        for locale in tk.config["ckan.locales_offered"] or [tk.config["ckan.locale_default"]]:
            language = vocab.LOCALE_LANGUAGES.get(locale)
            if language:
                g.add((catalog_ref, DCT.language, URIRef(language)))
                g.set((URIRef(language), RDF.type, DCT.LinguisticSystem))
        self._set_publisher(catalog_ref)
        # the homepage is the site URL, as is the catalogue's IRI: keep them apart
        g.remove((catalog_ref, FOAF.homepage, None))
        homepage = URIRef(f"{tk.config['ckan.site_url'].rstrip('/')}/")
        g.add((catalog_ref, FOAF.homepage, homepage))
        g.add((homepage, RDF.type, FOAF.Document))
        licence = URIRef(vocab.CATALOGUE_LICENCE)
        g.set((catalog_ref, DCT.license, licence))
        self._describe_licence(licence, "cc-zero")
        city = {"bdom_teryt": bdom_config.teryt(), "text": bdom_config.city_name()}
        self._set_spatial(catalog_ref, [city])
        g.set((catalog_ref, DCAT.themeTaxonomy, URIRef(vocab.DATA_THEME.rstrip("/"))))
        g.set((URIRef(vocab.DATA_THEME.rstrip("/")), RDF.type, SKOS.ConceptScheme))
        issued = _first_publication()
        if issued:
            self._add_date_triple(catalog_ref, DCT.issued, issued)
        self._ensure_datetimes(catalog_ref)

    # --- parsing (harvesting a catalogue written by this profile) ---------------

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        """The BDoM fields our graph carries beyond ``euro_dcat_ap_3``'s."""
        for key, predicate in ENGLISH_FIELDS:
            english = [str(v) for v in self.g.objects(dataset_ref, predicate) if _is_english(v)]
            if english:
                dataset_dict[key] = ", ".join(english)
        english_tags = set(english_values(dataset_dict, "bdom_tags_en"))
        dataset_dict["tags"] = [
            t for t in dataset_dict.get("tags") or [] if t.get("name") not in english_tags
        ]
        legislation = {str(v) for v in self.g.objects(dataset_ref, DCATAP.applicableLegislation)}
        if vocab.HVD_LEGISLATION in legislation or dataset_dict.get("hvd_category"):
            dataset_dict["bdom_has_high_value_data"] = "true"
        dataset_dict.pop("applicable_legislation", None)  # computed from the flag
        spatial = [self._parse_location(v) for v in self.g.objects(dataset_ref, DCT.spatial)]
        if spatial:
            dataset_dict["spatial_coverage"] = spatial
        for resource in dataset_dict.get("resources") or []:
            resource["format"] = vocab.ckan_format(resource.get("format"))
            if str(resource.get("mimetype") or "").startswith(vocab.IANA):
                resource["mimetype"] = resource["mimetype"][len(vocab.IANA) :]
        return dataset_dict

    def _parse_location(self, location: Node) -> dict[str, str]:
        row = {"text": str(self.g.value(location, SKOS.prefLabel) or "")}
        teryt = self.g.value(location, DCT.identifier)
        if teryt:
            row["bdom_teryt"] = str(teryt)
        return row

    # --- helpers --------------------------------------------------------------

    def _remove_tree(self, node: Node) -> None:
        """Remove ``node``'s triples and those of the blank nodes it owns."""
        for _, _, value in list(self.g.triples((node, None, None))):
            if isinstance(value, BNode):
                self._remove_tree(value)
        self.g.remove((node, None, None))


def _is_english(value: Node) -> bool:
    return isinstance(value, Literal) and value.language == "en"


def english_values(dataset_dict: dict[str, Any], key: str) -> list[str]:
    """The English title, description or keywords (comma-separated)."""
    value = str(dataset_dict.get(key) or "")
    parts = value.split(",") if key == "bdom_tags_en" else [value]
    return [part.strip() for part in parts if part.strip()]


def _licence(dataset_dict: dict[str, Any]) -> URIRef | None:
    url = dataset_dict.get("license_url") or ""
    return URIRef(url) if url.startswith(vocab.LICENCE) else None


def _first_publication() -> str | None:
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"q": "*:*", "rows": 1, "sort": "metadata_created asc", "fl": "metadata_created"},
    )
    return result["results"][0]["metadata_created"] if result["results"] else None
