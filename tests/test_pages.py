"""What residents and the officer see: the dataset page in brief and the
search page's facets."""

from __future__ import annotations

import html
import re

import pytest

from ckan.tests import factories, helpers

from tests.factories import ANNUAL, SOCI, BdomDataset, DraftDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ECON = "http://publications.europa.eu/resource/authority/data-theme/ECON"
MONTHLY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"


def _text(page: str) -> str:
    """The page's visible text, tags dropped and spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _brief(page: str) -> str:
    match = re.search(r'<section class="bdom-summary".*?</section>', page, re.S)
    assert match, "the dataset page has no 'in brief' block"
    return _text(match.group(0))


@pytest.fixture
def dataset():
    steward = Steward(name="urzad-stanu-cywilnego", title="Urząd Stanu Cywilnego")
    return BdomDataset(
        name="urodzenia-zgony",
        title="Urodzenia i zgony",
        owner_org=steward["id"],
        theme=[SOCI, ECON],
        frequency=ANNUAL,
        license_id="cc-by",
        bdom_condition_source="true",
        bdom_condition_modification="true",
        bdom_condition_personal_data="Zbiór nie zawiera danych osobowych.",
        resources=[
            {"url": "https://example.org/u.csv", "format": "CSV", "bdom_data_updated": "2024-03-01"}
        ],
    )


def test_dataset_page_tells_a_resident_the_essentials_in_polish(app, dataset):
    brief = _brief(app.get("/dataset/urodzenia-zgony").get_data(as_text=True))

    assert "Gestor danych Urząd Stanu Cywilnego" in brief
    assert "Kategoria Gospodarka i finanse, Ludność i społeczeństwo" in brief
    assert "Częstotliwość aktualizacji co roku" in brief
    assert "Ostatnia aktualizacja danych 1 marca 2024" in brief
    assert "Następna aktualizacja 1 marca 2025 (zaległa)" in brief
    assert "Status Opublikowany" in brief
    assert "3 z 5 gwiazdek" in brief
    assert "pod warunkiem podania źródła (licencja CC BY 4.0)" in brief
    assert "Podaj źródło: Urząd Stanu Cywilnego" in brief
    assert "Jeśli przetwarzasz lub zmieniasz dane" in brief
    assert "Dane osobowe: Zbiór nie zawiera danych osobowych." in brief


def test_dataset_page_in_english(app, dataset):
    brief = _brief(app.get("/en/dataset/urodzenia-zgony").get_data(as_text=True))

    assert "Category Economy and finance, Population and society" in brief
    assert "Update frequency annual" in brief
    assert "as long as you name the source (licence CC BY 4.0)" in brief


def test_a_dataset_without_conditions_says_so(app):
    dataset = BdomDataset(license_id="cc-zero")
    brief = _brief(app.get(f"/dataset/{dataset['name']}").get_data(as_text=True))

    assert "bez podawania źródła (domena publiczna, CC0)" in brief
    assert "Gestor nie określił innych warunków" in brief
    assert "Ostatnia aktualizacja danych nie podano" in brief


def _facets(page: str) -> dict[str, list[str]]:
    """Facet headings and their items' visible text, from the search page."""
    found: dict[str, list[str]] = {}
    module = r'<section class="module module-narrow module-shallow">(.*?)</section>'
    for block in re.findall(module, page, re.S):
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", block, re.S)
        if heading:
            items = re.findall(r'<span class="item-label">(.*?)</span>', block, re.S)
            found[_text(heading.group(1)).strip()] = [_text(item).strip() for item in items]
    return found


def test_search_page_has_the_city_facets_with_labels(app):
    steward = Steward(name="straz-miejska", title="Straż Miejska")
    BdomDataset(
        owner_org=steward["id"],
        theme=[SOCI],
        frequency=MONTHLY,
        bdom_iso37120_themes=["iso37120-2018:6"],
        bdom_source="own",
        resources=[{"url": "https://example.org/a.csv", "format": "CSV"}],
    )
    BdomDataset(owner_org=steward["id"], theme=[SOCI, ECON], bdom_source="gus_bdl")

    facets = _facets(app.get("/dataset/").get_data(as_text=True))

    assert list(facets)[:6] == [
        "Gestor danych",
        "Kategoria",
        "Temat ISO 37120",
        "Częstotliwość aktualizacji",
        "Formaty",
        "Źródło danych",
    ]
    assert facets["Gestor danych"] == ["Straż Miejska"]
    assert sorted(facets["Kategoria"]) == ["Gospodarka i finanse", "Ludność i społeczeństwo"]
    assert facets["Temat ISO 37120"] == ["Edukacja"]
    assert sorted(facets["Częstotliwość aktualizacji"]) == ["co miesiąc", "co roku"]
    assert sorted(facets["Źródło danych"]) == [
        "GUS Bank Danych Lokalnych",
        "rejestry własne miasta",
    ]
    assert "Status w obiegu" not in facets


def test_a_category_facet_filters_the_results(app):
    BdomDataset(title="Budżet miasta", theme=[ECON])
    BdomDataset(title="Ludność", theme=[SOCI])

    search = {"fq": f'vocab_bdom_theme:"{ECON}"'}
    result = app.get("/api/3/action/package_search", query_string=search)
    page = app.get("/dataset/", query_string={"vocab_bdom_theme": ECON}).get_data(as_text=True)

    assert [d["title"] for d in result.json["result"]["results"]] == ["Budżet miasta"]
    assert "Budżet miasta" in page
    assert "Ludność</a>" not in page


def test_the_status_facet_is_for_the_officer_only(app):
    steward = Steward()
    BdomDataset(owner_org=steward["id"])
    DraftDataset(owner_org=steward["id"])
    officer = factories.UserWithToken()
    helpers.call_action(
        "bdom_user_roles_set",
        {"user": factories.Sysadmin()["name"]},
        id=officer["name"],
        roles=["officer"],
    )
    coordinator = factories.UserWithToken()
    helpers.call_action(
        "organization_member_create",
        {"ignore_auth": True},
        id=steward["id"],
        username=coordinator["name"],
        role="editor",
    )

    as_officer = _facets(
        app.get("/dataset/", headers={"Authorization": officer["token"]}).get_data(as_text=True)
    )
    as_coordinator = _facets(
        app.get("/dataset/", headers={"Authorization": coordinator["token"]}).get_data(as_text=True)
    )

    assert sorted(as_officer["Status w obiegu"]) == ["Opublikowany", "Szkic"]
    assert "Status w obiegu" not in as_coordinator


def test_facet_links_add_or_remove_their_filter_and_drop_the_page(app):
    steward = Steward(name="straz-miejska", title="Straż Miejska")
    BdomDataset(owner_org=steward["id"], theme=[SOCI], tag_string="bezpieczeństwo,straż")

    query = {"q": "*:*", "tags": "straż", "page": "1"}
    page = html.unescape(app.get("/dataset/", query_string=query).get_data(as_text=True))

    links = set(re.findall(r'href="(/dataset/\?[^"]*)"', page))
    assert "/dataset/?q=%2A%3A%2A" in links  # the active tag taken away
    assert "/dataset/?q=%2A%3A%2A&tags=stra%C5%BC&tags=bezpiecze%C5%84stwo" in links
    assert "/dataset/?q=%2A%3A%2A&tags=stra%C5%BC&organization=straz-miejska" in links
