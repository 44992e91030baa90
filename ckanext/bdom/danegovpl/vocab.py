"""EU vocabularies and dane.gov.pl codes the dane.gov.pl routes use.

Pure data, no CKAN imports: the EU authority tables (data themes, frequencies,
file types, licences, languages), the IANA media types, and the mapping of our
values to the codes of dane.gov.pl's XML import format 1.10.
"""

from __future__ import annotations

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = f"{EU}data-theme/"
FREQUENCY = f"{EU}frequency/"
FILE_TYPE = f"{EU}file-type/"
LICENCE = f"{EU}licence/"
LANGUAGE = f"{EU}language/"
COUNTRY = f"{EU}country/"
ACCESS_RIGHT = f"{EU}access-right/"
PLANNED_AVAILABILITY = f"{EU}planned-availability/"
IANA = "https://www.iana.org/assignments/media-types/"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"

POLISH = f"{LANGUAGE}POL"
ENGLISH = f"{LANGUAGE}ENG"
LOCALE_LANGUAGES = {"pl": POLISH, "en": ENGLISH}
LOCAL_AUTHORITY = f"{PUBLISHER_TYPE}LocalAuthority"
PUBLIC = f"{ACCESS_RIGHT}PUBLIC"
STABLE = f"{PLANNED_AVAILABILITY}STABLE"
POLAND = f"{COUNTRY}POL"
CATALOGUE_LICENCE = f"{LICENCE}CC0"

# CKAN format (upper case) -> (EU file type code, IANA media type or None)
FILE_TYPES: dict[str, tuple[str, str | None]] = {
    "CSV": ("CSV", "text/csv"),
    "TSV": ("TSV", "text/tab-separated-values"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "XML": ("XML", "application/xml"),
    "PDF": ("PDF", "application/pdf"),
    "ZIP": ("ZIP", "application/zip"),
    "TXT": ("TXT", "text/plain"),
    "HTML": ("HTML", "text/html"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ODT": ("ODT", "application/vnd.oasis.opendocument.text"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "GML": ("GML", "application/gml+xml"),
    "SHP": ("SHP", None),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
}

# Our frequency IRIs -> dane.gov.pl XML ``updateFrequency`` (XSD 1.10)
XML_FREQUENCY: dict[str, str] = {
    f"{FREQUENCY}DAILY": "daily",
    f"{FREQUENCY}WEEKLY": "weekly",
    f"{FREQUENCY}MONTHLY": "monthly",
    f"{FREQUENCY}QUARTERLY": "quarterly",
    f"{FREQUENCY}ANNUAL_2": "everyHalfYear",
    f"{FREQUENCY}ANNUAL": "yearly",
}
XML_FREQUENCY_DEFAULT = "notApplicable"

# dane.gov.pl's categories are the 13 EU data-theme codes
THEME_CODES = (
    "AGRI",
    "EDUC",
    "ENVI",
    "ENER",
    "TRAN",
    "TECH",
    "ECON",
    "SOCI",
    "HEAL",
    "GOVE",
    "REGI",
    "JUST",
    "INTR",
)

# CKAN licence ids dane.gov.pl's CKAN harvester accepts (CKAN_LICENSES_WHITELIST)
DANEGOVPL_LICENSE_IDS = frozenset({"cc-zero", "cc-by", "cc-by-sa", "cc-nc"})


def theme_code(iri: str) -> str | None:
    """``…/data-theme/SOCI`` -> ``SOCI`` if it is one of the 13 EU themes."""
    code = iri.rsplit("/", 1)[-1]
    return code if iri.startswith(DATA_THEME) and code in THEME_CODES else None


def file_type(ckan_format: str | None) -> tuple[str | None, str | None]:
    """(EU file-type IRI, IANA media-type IRI) of a CKAN format, if known."""
    known = FILE_TYPES.get((ckan_format or "").strip().upper().lstrip("."))
    if known is None:
        return None, None
    code, media_type = known
    return f"{FILE_TYPE}{code}", f"{IANA}{media_type}" if media_type else None


def ckan_format(value: str | None) -> str | None:
    """``…/file-type/CSV`` -> ``CSV`` (the CKAN format); other values as they are."""
    if not value or not value.startswith(FILE_TYPE):
        return value
    code = value[len(FILE_TYPE) :]
    return next((name for name, (known, _) in FILE_TYPES.items() if known == code), code)
