"""The portal in a real browser: axe-core's WCAG 2.0 and 2.1 A and AA rules with
zero violations on every public, steward and officer page in both languages,
keyboard use (skip link, focus order, visible focus), charts with tables, and
the end-to-end scenarios of residents, coordinators and the officer.

One test portal (``bdom_stack``) and one Chromium run (tests/browser/run.mjs,
Debian's ``chromium`` driven by ``playwright-core``) serve the whole module;
the tests below assert on what that run saw. ``make test`` installs Chromium
and the npm packages; screenshots of the main pages land in
``.data/screenshots`` (``make screenshots`` copies them to docs/screenshots).
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ckan.plugins as plugins
from ckan.tests import factories, helpers

from tests.conftest import LOGS, PLUGINS_WITH_MIGRATIONS, REPO, Stack
from tests.factories import BdomDataset, DraftDataset, Steward
from tests.test_indicators_api import CITY, SLASKIE, TIDY_FIELDS, tidy

BROWSER = REPO / "tests" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / ".data" / "screenshots"
PASSWORD = "Haslo-testowe-2026"

CSV = (
    "rok,liczba_ludnosci,dzielnica\n"
    "2022,65012,Centrum\n"
    "2023,64580,Bytków\n"
    "2024,64129,Michałkowice\n"
)
# the column dictionary of the dataset a coordinator fills in (bdom_collect)
COLUMNS = [
    {"name": "rok", "type": "integer", "description": "Rok", "required": "true", "key": "true"},
    {
        "name": "dzielnica",
        "type": "text",
        "description": "Dzielnica miasta",
        "allowed_values": "Centrum, Bytków",
        "required": "true",
        "key": "true",
    },
    {"name": "pojazdy", "type": "integer", "unit": "szt.", "description": "Zarejestrowane pojazdy"},
]


@dataclass
class Portal:
    """What the test portal holds, by the names the browser looks for."""

    steward: dict[str, Any]
    dataset: dict[str, Any]
    resource: dict[str, Any]
    submitted: dict[str, Any]  # waits in the officer's queue
    planned: dict[str, Any]  # a coordinator fills in its collection form
    news: dict[str, Any]
    users: dict[str, dict[str, Any]]


def _user(**fields: Any) -> dict[str, Any]:
    return factories.User(password=PASSWORD, image_url="", **fields)


def _councillors(sysadmin: dict[str, Any]) -> None:
    """Councillors by sex from the BDL: ISO 37120 indicator 10.1 for two years."""
    gus = Steward(name="glowny-urzad-statystyczny", title="Główny Urząd Statystyczny", image_url="")
    dataset = BdomDataset(
        name="bdl-radni", title="Radni według płci", bdom_source="gus_bdl", owner_org=gus["id"]
    )
    rows = [
        tidy(unit, variable, year, value)
        for unit, variable, year, value in (
            (CITY, 8, 2018, 7),
            (CITY, 6, 2018, 25),
            (SLASKIE, 8, 2018, 1200),
            (SLASKIE, 6, 2018, 4800),
            (CITY, 8, 2019, 8),
            (CITY, 6, 2019, 25),
        )
    ]
    helpers.call_action(
        "datastore_create",
        {"user": sysadmin["name"]},
        resource={"package_id": dataset["id"], "name": "BDL (CSV)", "format": "CSV"},
        fields=TIDY_FIELDS,
        records=rows,
        force=True,
    )


def _promoted(sysadmin: dict[str, Any], dataset: dict[str, Any]) -> dict[str, Any]:
    """A published news item and a featured dataset on the home page; the news item."""
    context = {"user": sysadmin["name"], "ignore_auth": False}
    hour_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    publish_at = hour_ago.isoformat(timespec="seconds")
    helpers.call_action(
        "bdom_featured_create", dict(context), package_id=dataset["name"], publish_at=publish_at
    )
    return helpers.call_action(
        "bdom_news_create",
        dict(context),
        title="Nowe dane o ludności",
        lead="Opublikowaliśmy liczbę mieszkańców za 2024 rok.",
        body="Dane pochodzą z **ewidencji ludności**.",
        publish_at=publish_at,
        state="published",
    )


@pytest.fixture(scope="module")
def portal(reset_db, reset_index, migrate_db_for, create_with_upload) -> Iterator[Portal]:
    """Stewards, datasets in several states, indicators and news, created
    through CKAN's actions in the test portal's database before its processes
    start (their jobs, queued now, are dropped with the stack's fresh Redis)."""
    plugins.load_all()
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)
    reset_index()
    sysadmin = factories.Sysadmin()
    coordinator = _user(fullname="Anna Koordynatorka")
    officer = _user(fullname="Piotr Urzędnik")
    helpers.call_action(
        "bdom_user_roles_set",
        {"user": sysadmin["name"]},
        id=officer["id"],
        roles=["officer"],
    )
    steward = Steward(
        name="wydzial-spraw-obywatelskich",
        title="Wydział Spraw Obywatelskich",
        description="Prowadzi ewidencję ludności i dowodów osobistych.",
        image_url="",
        users=[{"name": coordinator["name"], "capacity": "editor"}],
    )
    transport = Steward(
        name="wydzial-komunikacji",
        title="Wydział Komunikacji",
        image_url="",
        users=[{"name": coordinator["name"], "capacity": "editor"}],
    )
    dataset = BdomDataset(
        name="ludnosc-miasta",
        title="Ludność miasta według dzielnic",
        owner_org=steward["id"],
    )
    resource = create_with_upload(
        CSV,
        "ludnosc.csv",
        context={"user": sysadmin["name"]},
        url="ludnosc.csv",
        package_id=dataset["id"],
        name="Ludność według dzielnic (CSV)",
        format="CSV",
    )
    BdomDataset(title="Ludność według wieku", owner_org=Steward(image_url="")["id"])
    submitted = DraftDataset(
        name="drogi-rowerowe",
        title="Drogi rowerowe w mieście",
        owner_org=steward["id"],
    )
    helpers.call_action(
        "bdom_dataset_transition",
        {"user": coordinator["name"], "ignore_auth": False},
        id=submitted["id"],
        transition="submit",
    )
    planned = DraftDataset(
        name="pojazdy-w-dzielnicach",
        title="Pojazdy zarejestrowane w dzielnicach",
        notes="Liczba pojazdów zarejestrowanych według dzielnic.",
        tag_string="transport",
        owner_org=transport["id"],
        bdom_collect_years="2024",
        bdom_collect_due="2025-03-31",
        resources=[{"name": "Pojazdy według dzielnic", "url": "", "bdom_columns": COLUMNS}],
    )
    _councillors(sysadmin)
    from ckanext.bdom.indicators import jobs

    jobs.recompute()
    news = _promoted(sysadmin, dataset)
    users = {
        "officer": {"name": officer["name"], "password": PASSWORD},
        "coordinator": {"name": coordinator["name"], "password": PASSWORD},
    }
    yield Portal(steward, dataset, resource, submitted, planned, news, users)
    plugins.unload_all()


# every page the browser checks: id, path, language, who looks at it, options
# (screenshot: its name in docs/screenshots; charts: each chart needs a table)
PAGES = [
    ("home", "/", "pl", None, {"screenshot": "home"}),
    ("home-en", "/en/", "en", None, {}),
    (
        "search",
        "/dataset/?q=ludno%C5%9B%C4%87&organization={steward}",
        "pl",
        None,
        {"screenshot": "search"},
    ),
    ("search-en", "/en/dataset/?q=ludno%C5%9B%C4%87&organization={steward}", "en", None, {}),
    ("dataset", "/dataset/{dataset}", "pl", None, {"screenshot": "dataset"}),
    ("dataset-en", "/en/dataset/{dataset}", "en", None, {}),
    ("resource", "/dataset/{dataset}/resource/{resource}", "pl", None, {}),
    ("stewards", "/organization/", "pl", None, {}),
    ("steward", "/organization/{steward}", "pl", None, {}),
    ("indicators", "/wskazniki", "pl", None, {"screenshot": "indicators"}),
    ("indicators-en", "/en/wskazniki", "en", None, {}),
    ("indicator-theme", "/wskazniki/10", "pl", None, {}),
    ("indicator", "/wskazniki/10.1", "pl", None, {"charts": True}),
    ("statistics", "/statystyki", "pl", None, {"screenshot": "statistics", "charts": True}),
    ("news", "/aktualnosci", "pl", None, {}),
    ("news-item", "/aktualnosci/{news}", "pl", None, {}),
    ("openness", "/o-otwartosci", "pl", None, {}),
    ("accessibility-statement", "/deklaracja-dostepnosci", "pl", None, {}),
    ("schedule", "/bdom/harmonogram", "pl", None, {}),
    ("login", "/user/login", "pl", None, {}),
    ("mine", "/bdom/moje", "pl", "coordinator", {}),
    ("submission", "/bdom/zbior/{planned}/przekaz", "pl", "coordinator", {}),
    ("queue", "/bdom/kolejka", "pl", "officer", {}),
]
PAGE_IDS = [page[0] for page in PAGES]
CHART_PAGES = [page[0] for page in PAGES if page[4].get("charts")]


def _pages(portal: Portal) -> list[dict[str, Any]]:
    names = {
        "dataset": portal.dataset["name"],
        "resource": portal.resource["id"],
        "steward": portal.steward["name"],
        "planned": portal.planned["name"],
        "news": portal.news["id"],
    }
    return [
        {"id": page_id, "path": path.format(**names), "lang": lang, "as": role, **options}
        for page_id, path, lang, role, options in PAGES
    ]


def _plan(portal: Portal, stack: Stack, plan_file: Path) -> dict[str, Any]:
    planned = portal.planned["name"]
    scenarios = {
        "resident_download": {
            "query": "ludność",
            "steward": portal.steward["name"],
            "title": portal.dataset["title"],
        },
        "coordinator_submits": {
            "name": planned,
            "upload": "pojazdy-2024.csv",
            "wrong": {"2024;Centrum": {"pojazdy": "dużo"}, "2024;Bytków": {"pojazdy": "6120"}},
            "right": {"2024;Centrum": {"pojazdy": "12450"}, "2024;Bytków": {"pojazdy": "6120"}},
        },
        "officer_publishes": {
            "name": planned,
            "query": "pojazdy",
            "transitions": ["verify", "publish"],
        },
        "resident_indicators": {"indicator": "10.1"},
    }
    plan = {
        "base": stack.url,
        "users": portal.users,
        "pages": _pages(portal),
        "scenarios": scenarios,
        # the officer publishes what the coordinator submitted; the residents'
        # scenarios do not see that dataset (another steward, other words)
        "chains": [
            ["resident_download"],
            ["resident_indicators"],
            ["coordinator_submits", "officer_publishes"],
        ],
        "screenshots": str(SCREENSHOTS),
    }
    plan_file.write_text(json.dumps(plan, ensure_ascii=False))
    return plan


@pytest.fixture(scope="module")
def seen(portal: Portal, bdom_stack: Stack, tmp_path_factory) -> dict[str, Any]:
    """What one run of the browser over the whole portal saw."""
    if not CHROMIUM.exists() or not (BROWSER / "node_modules" / "playwright-core").exists():
        pytest.fail("Chromium or the npm packages are missing: run the suite with `make test`")
    plan_file = tmp_path_factory.mktemp("browser") / "plan.json"
    _plan(portal, bdom_stack, plan_file)
    node = shutil.which("node") or "node"
    run = subprocess.run(
        [node, str(BROWSER / "run.mjs"), str(plan_file)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if run.returncode != 0:
        pytest.fail(f"the browser run failed:\n{run.stderr[-4000:]}")
    # what the browser saw and how long each page took, for a failure's diagnosis
    (LOGS / "browser.json").write_text(run.stdout)
    (LOGS / "browser.log").write_text(run.stderr)
    return json.loads(run.stdout)


def _page(seen: dict[str, Any], page_id: str) -> dict[str, Any]:
    page = seen["pages"][page_id]
    assert not page.get("error"), f"{page['path']}: {page['error']}"
    assert page["status"] == 200, f"{page['path']} answered {page['status']}"
    return page


def _explain(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['rule']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append(f"        {node['summary']}".replace("\n", " "))
    return "\n".join(lines)


# pages the scenarios reach (after a form post): their axe results
SCENARIO_PAGES = {
    "submission-refused": "coordinator_submits",
    "review": "officer_publishes",
}


def _violations(seen: dict[str, Any], page_id: str) -> list[dict[str, Any]]:
    if page_id in SCENARIO_PAGES:
        return _scenario(seen, SCENARIO_PAGES[page_id])["violations"]
    return _page(seen, page_id)["violations"]


@pytest.mark.parametrize("page_id", [*PAGE_IDS, *SCENARIO_PAGES])
def test_page_has_no_wcag_violations(seen, page_id):
    violations = _violations(seen, page_id)
    assert violations == [], f"{page_id}:\n{_explain(violations)}"


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_page_says_its_language(seen, page_id):
    page = _page(seen, page_id)
    assert page["htmlLang"] == page["lang"], page["path"]


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_skip_link_moves_focus_to_the_main_content(seen, page_id):
    page = _page(seen, page_id)
    skip = page["keyboard"]["skip"]
    assert skip["target"], f"{page['path']}: the first Tab stop is not a skip link: {skip['first']}"
    assert skip["first"]["visible"], f"{page['path']}: the focused skip link is not shown"
    assert skip["focusMoved"], f"{page['path']}: {skip['target']} does not take the focus"


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_tab_reaches_controls_with_visible_focus(seen, page_id):
    page = _page(seen, page_id)
    stops = page["keyboard"]["stops"]
    assert len(stops) >= 3, f"{page['path']}: Tab reaches only {stops}"
    unmarked = [s for s in stops if not (s["visible"] and s["indicator"])]
    assert unmarked == [], f"{page['path']}: focus is not visible on {unmarked}"
    unreachable = page["keyboard"]["unreachable"]
    assert unreachable == [], f"{page['path']}: controls out of the Tab order: {unreachable}"


@pytest.mark.parametrize("page_id", CHART_PAGES)
def test_charts_have_a_table_and_a_summary(seen, page_id):
    page = _page(seen, page_id)
    assert page["charts"], f"{page['path']}: no chart"
    for chart in page["charts"]:
        assert chart["table"], f"{page['path']}: chart {chart['label']!r} has no table"
        assert chart["summary"], f"{page['path']}: chart {chart['label']!r} has no summary"


# --- end-to-end ----------------------------------------------------------------------


def _scenario(seen: dict[str, Any], name: str) -> dict[str, Any]:
    result = seen["scenarios"][name]
    assert not result.get("error"), f"{name} stopped at {result['steps'][-1]!r}:\n{result['error']}"
    return result


def test_resident_searches_filters_opens_a_dataset_and_downloads_its_csv(seen, portal):
    result = _scenario(seen, "resident_download")
    assert "Ludność według wieku" in result["found_before"]  # another steward's dataset
    assert result["found"] == [portal.dataset["title"]]
    assert result["dataset_url"].endswith(f"/dataset/{portal.dataset['name']}")
    assert result["filename"] == "ludnosc.csv"
    assert result["downloaded"].replace("\r\n", "\n") == CSV


def test_coordinator_fixes_a_refused_form_and_submits_it(seen):
    result = _scenario(seen, "coordinator_submits")
    assert result["form_filename"] == "pojazdy-w-dzielnicach-formularz.csv"
    assert result["form"].splitlines()[0] == "rok;dzielnica;pojazdy"
    # the refused file: a report in both languages, tied to the file field
    assert result["error_status"] == 400
    assert "dużo" in result["report"]
    assert "pojazdy" in result["report"]
    assert result["field"]["invalid"] == "true"
    assert "field-upload-error" in result["field"]["describedby"]
    # the fixed file goes through
    assert result["fixed_status"] == 302
    assert result["after"], "no confirmation after the fixed upload"
    assert len(result["submissions"]) == 1  # the refused file left nothing behind
    assert "pojazdy-2024.csv" in result["submissions"][0]


def test_officer_reviews_verifies_and_publishes_and_residents_find_the_dataset(seen):
    result = _scenario(seen, "officer_publishes")
    assert "Pojazdy zarejestrowane w dzielnicach" in result["queued"]
    assert result["review_status"] == 200
    assert "12450" in result["review"]
    assert result["public_results"] == ["Pojazdy zarejestrowane w dzielnicach"]
    assert result["public_status"] == 200


def test_resident_opens_the_indicator_dashboard_an_indicator_and_its_table(seen):
    result = _scenario(seen, "resident_indicators")
    assert result["indicator_url"].endswith("/wskazniki/10.1")
    assert result["heading"].startswith("10.1")
    table = result["tables"][0]
    assert table["caption"]
    assert table["headers"][:3] == ["Jednostka", "Rok", "Wartość"]
    # women among the city's councillors: 7 of 25 in 2018, 8 of 25 in 2019
    assert table["cells"][0:3] == ["Siemianowice Śląskie", "2018", "28"]
    assert table["cells"][4:7] == ["Siemianowice Śląskie", "2019", "32"]
