"""The public face: theme from configuration, home page blocks, language
switch, API examples on dataset pages, statistics with CSV, the openness
page and the accessibility statement. Pages are read as a browser without
JavaScript gets them: everything asserted is in the server's HTML."""

from __future__ import annotations

import datetime
import html as html_lib
import logging
import re

import pytest

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.bdom.lib import contrast
from ckanext.bdom.stats import jobs
from tests.factories import SOCI, BdomDataset, Steward
from tests.test_indicators_api import CITY, bdl_dataset, table, tidy

# a fresh database only where the data matter; pages that show configuration
# alone run on whatever the database holds
with_data = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
config_only = pytest.mark.usefixtures("with_plugins", "non_clean_db")

ENVI = "http://publications.europa.eu/resource/authority/data-theme/ENVI"
FOOTER_LINK = re.compile(r'href="(/en)?/deklaracja-dostepnosci"')


def html(app, url: str) -> str:
    response = app.get(url)
    assert response.status_code == 200, url
    body = response.get_data(as_text=True)
    assert FOOTER_LINK.search(body), f"no accessibility statement link on {url}"
    return body


def text(body: str) -> str:
    """Visible text, white space folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


# --- contrast (no CKAN) ------------------------------------------------------


def test_contrast_ratios_follow_wcag():
    white, black = contrast.WHITE_RGB, (0, 0, 0)
    assert contrast.ratio(white, black) == pytest.approx(21.0)
    assert contrast.ratio(contrast.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast.parse("#abc") == (0xAA, 0xBB, 0xCC)
    assert contrast.parse("gold") is None
    darker = contrast.darken_until(contrast.parse("#ffd700"), white)
    assert contrast.ratio(darker, white) >= 4.5


# --- the portal at a glance ----------------------------------------------------


def environment() -> tuple[dict, dict]:
    """A steward with two datasets: one without files, one with a linked CSV."""
    env = Steward(name="wydzial-srodowiska", title="Wydział Ochrony Środowiska")
    air = BdomDataset(name="jakosc-powietrza", title="Jakość powietrza", owner_org=env["id"])
    trees = BdomDataset(
        name="drzewa",
        title="Drzewa w parkach",
        theme=[ENVI],
        owner_org=env["id"],
        resources=[{"url": "http://example.com/drzewa.csv", "format": "CSV", "name": "Drzewa"}],
    )
    return air, trees


@pytest.fixture
def portal(cli):
    """Two stewards, datasets in two categories (one in the DataStore), an
    ISO 37120 value computed from published BDL data, and a news item."""
    gus = Steward(name="glowny-urzad-statystyczny", title="Główny Urząd Statystyczny")
    bdl_dataset(
        [tidy(CITY, 72305, 2016, 67602), tidy(CITY, 72305, 2017, 66999)],
        name="bdl-ludnosc",
        title="Ludność według BDL",
        owner_org=gus["id"],
    )
    result = cli.invoke(ckan_cli, ["bdom", "indicators", "compute"])
    assert result.exit_code == 0, result.output
    air, trees = environment()
    air = {**air, "table": table(air, [{"id": "pm10", "type": "numeric"}], [{"pm10": 31.5}])}
    sysadmin = factories.Sysadmin()["name"]
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    helpers.call_action(
        "bdom_news_create",
        {"user": sysadmin},
        title="Nowe dane o powietrzu",
        lead="Opublikowaliśmy pomiary PM10.",
        body="Pomiary ze stacji miejskiej.",
        publish_at=moment.isoformat(timespec="seconds"),
        state="published",
    )
    return {"air": air, "trees": trees}


@with_data
def test_home_and_dataset_pages(app, portal):
    body = html(app, "/")
    assert re.search(r'<html lang="pl"', body)
    assert '<a class="bdom-skip-link" href="#content">' in body
    seen = text(body)

    # search, newest and updated datasets, stewards, categories with counts
    assert re.search(r'<label for="bdom-home-q">', body)
    assert 'id="bdom-home-q"' in body
    for block in ("newest", "updated", "categories", "stewards"):
        assert f'id="bdom-home-{block}"' in body
    newest = body.split('id="bdom-home-newest"')[1].split("</section>")[0]
    assert "Drzewa w parkach" in newest
    assert "Jakość powietrza" in newest
    assert "Wydział Ochrony Środowiska" in body.split('id="bdom-home-stewards"')[1]
    categories = text(body.split('id="bdom-home-categories"')[1].split("</section>")[0])
    assert "Środowisko 1" in categories  # EU theme ENVI, one dataset

    # ISO 37120 strip with the latest value, linking to the indicator page
    strip = body.split('id="bdom-home-indicators-heading"')[1].split("</section>")[0]
    assert "66999" in text(strip)
    assert "2017" in text(strip)
    assert 'href="/wskazniki/iso37120-2018:A.1"' in strip
    assert 'href="/wskazniki"' in strip

    # the promotional block stays below
    assert "Nowe dane o powietrzu" in seen
    assert body.index('id="bdom-home-stewards"') < body.index("Nowe dane o powietrzu")

    # language switch: to English and back, each page with its lang
    assert '<a href="/en/" lang="en" hreflang="en">English</a>' in body
    english = html(app, "/en/")
    assert re.search(r'<html lang="en"', english)
    assert '<a href="/pl/" lang="pl" hreflang="pl">Polski</a>' in english
    assert "Skip to content" in english
    assert "Newest datasets" in english
    assert "Environment 1" in text(english.split('id="bdom-home-categories"')[1])

    _dataset_page_answers_how_to_use_the_data(app, portal)


def _dataset_page_answers_how_to_use_the_data(app, portal):
    air = html(app, "/dataset/jakosc-powietrza")
    site = "http://127.0.0.1"  # CKAN_SITE_URL of the suite; the port differs per run
    snippet = air.split('id="bdom-api-heading"')[1].split("</section>")[0]
    resource_id = portal["air"]["table"]
    assert re.search(
        rf'<pre [^>]*><code class="language-shell">curl &#34;{site}:\d+/api/3/action/'
        rf"datastore_search\?resource_id={resource_id}&amp;limit=5&#34;</code></pre>",
        snippet,
    ), snippet
    assert "import urllib.request" in snippet
    assert resource_id in snippet

    trees = html(app, "/dataset/drzewa")
    snippet = trees.split('id="bdom-api-heading"')[1].split("</section>")[0]
    assert re.search(rf"curl &#34;{site}:\d+/api/3/action/package_show\?id=drzewa&#34;", snippet)

    # openness: 3 stars (CSV), explained by a link a keyboard reaches
    assert 'href="/o-otwartosci#stars-3"' in trees
    about = html(app, "/o-otwartosci")
    third = about.split('id="stars-3"')[1].split("</li>")[0]
    assert "CSV" in third
    assert "JSON" in third
    assert "XLSX" not in third
    assert "Tim Berners-Lee" in html(app, "/en/o-otwartosci")


@pytest.mark.ckan_config("ckanext.bdom.city_name", "Gliwice")
@pytest.mark.ckan_config("ckanext.bdom.theme.primary_colour", "#ffd700")
@pytest.mark.ckan_config("ckanext.bdom.theme.accent_colour", "not-a-colour")
@pytest.mark.ckan_config("ckanext.bdom.theme.logo", "https://gliwice.example/herb.svg")
@config_only
def test_another_city_sets_name_colours_and_logo(app):
    warnings: list[logging.LogRecord] = []
    catcher = logging.Handler(logging.WARNING)
    catcher.emit = warnings.append  # CKAN's app replaces the root handlers caplog uses
    logger = logging.getLogger("ckanext.bdom.theme")
    logger.disabled = False  # the logging set-up of an earlier `ckan` CLI call disables it
    logger.addHandler(catcher)
    try:
        body = html(app, "/o-otwartosci")  # the theme is on every page
    finally:
        logger.removeHandler(catcher)
    assert "Gliwice" in text(body.split('class="logo bdom-logo"')[1].split("</a>")[0])
    assert '<img class="bdom-logo-image" src="https://gliwice.example/herb.svg" alt="">' in body
    # gold on white text fails 4.5:1: darkened until it passes, and logged
    primary = re.search(r"--bdom-primary: (#[0-9a-f]{6});", body).group(1)
    assert primary != "#ffd700"
    assert contrast.ratio(contrast.parse(primary), contrast.WHITE_RGB) >= 4.5
    assert "--bdom-accent: #8a5a00;" in body  # refused: the default
    logged = "\n".join(record.getMessage() for record in warnings)
    assert "ckanext.bdom.theme.primary_colour = #ffd700 has a contrast of 1.40:1" in logged
    assert "ckanext.bdom.theme.accent_colour = 'not-a-colour' is not a colour" in logged


# --- accessibility statement -----------------------------------------------------


@config_only
@pytest.mark.ckan_config("ckanext.bdom.accessibility.entity", "Urząd Miejski w Gliwicach")
@pytest.mark.ckan_config("ckanext.bdom.accessibility.status", "full")
@pytest.mark.ckan_config("ckanext.bdom.accessibility.contact_email", "a11y@gliwice.example")
@pytest.mark.ckan_config("ckanext.bdom.accessibility.contact_phone", "+48 32 111 22 33")
@pytest.mark.ckan_config("ckanext.bdom.accessibility.published", "2025-01-15")
@pytest.mark.ckan_config("ckanext.bdom.accessibility.known_issues", "Pierwszy\nDrugi problem")
def test_accessibility_statement_from_configuration(app):
    body = html(app, "/en/deklaracja-dostepnosci")
    assert re.search(r'<html lang="en"', body)
    assert "Urząd Miejski w Gliwicach undertakes to make the website" in text(body)
    assert '<span id="a11y-publish-date">2025-01-15</span>' in body
    assert 'data-bdom-status="full"' in body
    assert "is fully compliant" in body
    assert re.findall(r"<li>([^<]+)</li>", body.split('id="a11y-issues"')[1].split("</ul>")[0]) == [
        "Pierwszy",
        "Drugi problem",
    ]
    assert '<a id="a11y-email" href="mailto:a11y@gliwice.example">' in body
    assert 'href="tel:+48321112233"' in body
    # the statutory procedure (7 days, 2 months, the Commissioner for Human Rights)
    procedure = text(body.split('id="a11y-procedure"')[1].split("</div>")[0])
    assert "within 7 days" in procedure
    assert "2 months" in procedure
    assert "Commissioner for Human Rights" in procedure
    assert 'id="a11y-architektura"' in body


# --- statistics ---------------------------------------------------------------


def _hit(app, url: str, kind: str, visitor: int) -> None:
    """What tracking.js sends for a page view or a download click."""
    app.post(
        "/_tracking",
        data={"url": url, "type": kind},
        headers={"User-Agent": f"visitor-{visitor}"},
    )


@pytest.fixture
def tracked(app):
    air, trees = environment()
    roads = Steward(name="zarzad-drog", title="Zarząd Dróg")
    # a steward late with its annual update
    BdomDataset(
        name="remonty",
        title="Remonty dróg",
        theme=[SOCI],
        owner_org=roads["id"],
        resources=[
            {"url": "http://example.com/r.csv", "format": "CSV", "bdom_data_updated": "2020-01-31"}
        ],
    )
    for visitor in range(3):
        _hit(app, "/dataset/jakosc-powietrza", "page", visitor)
    _hit(app, "/dataset/drzewa", "page", 9)
    for visitor in range(2):
        _hit(app, "http://example.com/drzewa.csv", "resource", visitor)
    jobs.bdom_stats_update_summary()  # the job a visit to /statystyki queues
    return {"air": air, "trees": trees}


def _section(body: str, slug: str) -> str:
    return body.split(f'<section class="bdom-stats-section" id="{slug}"')[1].split("</section>")[0]


def _rows(section: str) -> list[list[str]]:
    tbody = section.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [text(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    ]


@with_data
def test_statistics_charts_tables_and_csv(app, tracked):
    body = html(app, "/en/statystyki")
    viewed = _section(body, "najczesciej-ogladane")
    assert _rows(viewed) == [["Jakość powietrza", "3", "3"], ["Drzewa w parkach", "1", "1"]]
    assert "The most viewed dataset is “Jakość powietrza” with 3 views." in viewed
    assert re.search(r'<svg class="bdom-chart" role="img"[^>]*aria-labelledby=', viewed)
    assert "<title id=" in viewed
    assert "<desc id=" in viewed
    assert "<caption>Most viewed datasets</caption>" in viewed
    assert '<th scope="col"' in viewed
    assert '<th scope="row"><a href="/en/dataset/jakosc-powietrza">' in viewed

    downloaded = _section(body, "najczesciej-pobierane")
    assert _rows(downloaded) == [["Drzewa w parkach", "2", "2"]]

    stewards = _section(body, "zbiory-wg-gestora")
    assert _rows(stewards) == [["Wydział Ochrony Środowiska", "2"], ["Zarząd Dróg", "1"]]
    categories = _rows(_section(body, "zbiory-wg-kategorii"))
    assert ["Environment", "1"] in categories
    assert ["Population and society", "2"] in categories

    punctual = _section(body, "terminowosc-gestorow")
    assert _rows(punctual) == [
        ["Wydział Ochrony Środowiska", "1", "1", "0", "0", "100.0"],
        ["Zarząd Dróg", "1", "0", "0", "1", "0.0"],
    ]
    assert "the lowest share is Zarząd Dróg's, 0.0%" in text(punctual)

    # each table as CSV for a spreadsheet
    response = app.get("/en/statystyki/najczesciej-ogladane.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines == [
        "Dataset;Views (all time);Views (last 14 days)",
        "Jakość powietrza;3;3",
        "Drzewa w parkach;1;1",
    ]
    for slug in ("najczesciej-pobierane", "zbiory-wg-gestora", "terminowosc-gestorow"):
        assert f'href="/en/statystyki/{slug}.csv"' in body
        assert app.get(f"/statystyki/{slug}.csv").status_code == 200
    missing = app.get("/statystyki/nic.csv")
    assert missing.status_code == 404
    assert "No such statistic" in missing.get_data(as_text=True)

    # the counts are also on the dataset page, and the stats page is linked from every page
    assert 'href="/statystyki"' in html(app, "/dataset/drzewa")


@with_data
def test_search_results_carry_each_dataset_and_file_view_counts(app, tracked):
    """bdom_tracking reads a search page's view counts in two queries; the
    numbers are those CKAN's tracking gives a single dataset."""
    found = app.get("/api/3/action/package_search", query_string={"rows": 50}).json["result"]
    by_name = {d["name"]: d for d in found["results"]}
    assert by_name["jakosc-powietrza"]["tracking_summary"]["total"] == 3
    assert by_name["drzewa"]["tracking_summary"]["total"] == 1
    assert by_name["remonty"]["tracking_summary"] == {"total": 0, "recent": 0}
    (csv,) = [r for r in by_name["drzewa"]["resources"] if r["url"].endswith("drzewa.csv")]
    assert csv["tracking_summary"]["total"] == 2
    shown = app.get("/api/3/action/package_show", query_string={"id": "drzewa"}).json["result"]
    assert shown["tracking_summary"] == by_name["drzewa"]["tracking_summary"]


@with_data
def test_a_popular_dataset_says_so_in_words(app):
    BdomDataset(name="popularny", title="Popularny zbiór")
    for visitor in range(12):
        _hit(app, "/dataset/popularny", "page", visitor)
    jobs.bdom_stats_update_summary()

    page = html(app, "/dataset/")

    assert '<span class="visually-hidden">Popularny: 12 ostatnich wyświetleń</span>' in page
    assert 'class="fa-solid fa-fire-flame-curved" aria-hidden="true"' in page
