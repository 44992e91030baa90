"""The update schedule and reminders (bdom_schedule): due dates and states, the
"Harmonogram aktualizacji" page and its CSV, ``ckan bdom remind`` against a
local SMTP server."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.bdom.lib import safe_csv, schedule
from ckanext.bdom.schedule.cli import remind_command
from tests.actors import Actors
from tests.conftest import PLUGINS_WITH_MIGRATIONS
from tests.factories import BdomDataset, DraftDataset, Steward

EU = schedule.FREQUENCY
D = dt.date.fromisoformat


# --- due dates and states (pure) -----------------------------------------------


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2024", "2024-12-31"),
        ("2024-Q1", "2024-03-31"),
        ("2024-H1", "2024-06-30"),
        ("2024-02", "2024-02-29"),
        ("2024-12-15", "2024-12-15"),
        ("2024-Q5", None),
        ("dawno", None),
        ("", None),
    ],
)
def test_period_end(period, end):
    assert schedule.period_end(period) == (D(end) if end else None)


@pytest.mark.parametrize(
    ("frequency", "last", "period", "planned", "lag", "due"),
    [
        # GUS-style: annual data for 2023 → the 2024 data due by 2025-06-30
        ("ANNUAL", "2024-03-01", "2023", None, 6, "2025-06-30"),
        ("ANNUAL", None, "2024", None, 3, "2026-03-31"),
        # the lag is at most one period
        ("QUARTERLY", None, "2024-Q3", None, 6, "2025-03-31"),
        ("QUARTERLY", None, "2024-Q3", None, 1, "2025-01-31"),
        ("MONTHLY", None, "2024-11", None, 6, "2025-01-31"),
        ("ANNUAL_2", None, "2024-H1", None, 6, "2025-06-30"),
        ("WEEKLY", None, "2024-12-01", None, 6, "2024-12-15"),
        # no reference period: the last update plus one period (as before)
        ("ANNUAL", "2024-03-01", None, None, 6, "2025-03-01"),
        ("MONTHLY", "2024-01-31", None, None, 6, "2024-02-29"),
        # a planned dataset without data: the planned date
        ("ANNUAL", None, None, "2025-03-15", 6, "2025-03-15"),
        # once data arrived, the frequency rules
        ("ANNUAL", None, "2024", "2025-03-15", 6, "2026-06-30"),
        # no schedule
        ("IRREG", "2024-03-01", "2024", None, 6, None),
        ("NEVER", "2024-03-01", None, None, 6, None),
        (None, "2024-03-01", None, None, 6, None),
        ("ANNUAL", None, None, None, 6, None),
    ],
)
def test_due_date(frequency, last, period, planned, lag, due):
    result = schedule.due_date(
        EU + frequency if frequency else None,
        D(last) if last else None,
        schedule.period_end(period),
        D(planned) if planned else None,
        lag,
    )
    assert result == (D(due) if due else None)


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        ("2025-06-30", "2025-06-01", "current"),
        ("2025-06-30", "2025-06-16", "due_soon"),
        ("2025-06-30", "2025-06-30", "due_soon"),
        ("2025-06-30", "2025-07-01", "overdue"),
        (None, "2025-07-01", "irregular"),
    ],
)
def test_state_of(due, today, state):
    assert schedule.state_of(D(due) if due else None, D(today), 14) == state


def test_dataset_due_reads_dataset_and_resource_periods():
    dataset = {
        "frequency": EU + "ANNUAL",
        "bdom_reference_period": "2022",
        "resources": [
            {"bdom_reference_period": "2023", "bdom_data_updated": "2024-05-01"},
            {"bdom_reference_period": "2021"},
        ],
    }
    assert schedule.dataset_due(dataset, 6) == D("2025-06-30")


def test_punctuality_per_steward():
    rows = [
        {"steward": "Wydział B", "state": "overdue"},
        {"steward": "Wydział A", "state": "current"},
        {"steward": "Wydział A", "state": "overdue"},
        {"steward": "Wydział A", "state": "due_soon"},
        {"steward": "Wydział A", "state": "irregular"},
        {"steward": "Wydział C", "state": "irregular"},
    ]
    a, b, c = schedule.punctuality(rows)
    assert a == {
        "steward": "Wydział A",
        "total": 4,
        "current": 1,
        "due_soon": 1,
        "overdue": 1,
        "irregular": 1,
        "scheduled": 3,
        "on_time_percent": 66.7,
    }
    assert (b["steward"], b["on_time_percent"]) == ("Wydział B", 0.0)
    assert (c["steward"], c["scheduled"], c["on_time_percent"]) == ("Wydział C", 0, None)


def test_csv_cells_never_run_as_formulas():
    data = safe_csv.excel_csv(["a", "b"], [["=1+1", "-2"], ["@SUM(A1)", "zwykły tekst"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["a", "b"], ["'=1+1", "'-2"], ["'@SUM(A1)", "zwykły tekst"]]


def test_the_reminder_hour_is_a_time_of_day():
    from ckanext.bdom.schedule.validators import bdom_time_of_day

    assert bdom_time_of_day(" 06:30 ") == "06:30"
    with pytest.raises(tk.Invalid) as error:
        bdom_time_of_day("7 rano")
    assert "GG:MM" in str(error.value)
    assert "HH:MM" in str(error.value)


# --- one portal for the module ---------------------------------------------------
# Resetting the database and making the web app are the slow parts of a test
# here, so the module does both once, with its users, stewards and datasets;
# the reminder tests empty the reminder log before each test instead.
#
# Steward A: "Budżet miasta" overdue (annual data three years old), "Plan: drogi
# gminne" due soon (a planned draft due in 5 days), "Zabytki" without schedule
# (irregular draft); steward B: one current dataset whose title looks like a
# spreadsheet formula. States as of today. A harvested dataset of steward A
# (overdue by its data) is left out everywhere.

TODAY = dt.date.today()


@dataclass
class World(Actors):
    steward_a: dict[str, Any]
    steward_b: dict[str, Any]


@pytest.fixture(scope="module")
def portal(reset_db, migrate_db_for, reset_index) -> World:
    app = helpers._get_test_app()  # loads the plugins of test.ini
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)
    reset_index()
    users = {
        "coordinator_a": factories.UserWithToken(),
        "coordinator_b": factories.UserWithToken(),
        "officer": factories.UserWithToken(),
        "other": factories.UserWithToken(),
        "sysadmin": factories.SysadminWithToken(),
    }
    helpers.call_action(
        "bdom_user_roles_set",
        {"user": users["sysadmin"]["name"], "ignore_auth": False},
        id=users["officer"]["id"],
        roles=["officer"],
    )
    steward_a = Steward(
        title="Wydział Architektury",
        users=[{"name": users["coordinator_a"]["name"], "capacity": "editor"}],
    )
    steward_b = Steward(
        title="Wydział Oświaty",
        users=[{"name": users["coordinator_b"]["name"], "capacity": "editor"}],
    )
    year = TODAY.year
    BdomDataset(
        owner_org=steward_a["id"], title="Budżet miasta", bdom_reference_period=str(year - 3)
    )
    DraftDataset(
        owner_org=steward_a["id"],
        title="Plan: drogi gminne",
        bdom_collect_due=(TODAY + dt.timedelta(days=5)).isoformat(),
    )
    DraftDataset(owner_org=steward_a["id"], title="Zabytki", frequency=EU + "IRREG")
    BdomDataset(
        owner_org=steward_b["id"], title='=HYPERLINK("http://zło")', bdom_reference_period=str(year)
    )
    _harvested(
        BdomDataset(
            owner_org=steward_a["id"], title="Ludność (GUS BDL)", bdom_reference_period="2015"
        )
    )
    return World(users=users, app=app, steward_a=steward_a, steward_b=steward_b)


def _harvested(dataset: dict[str, Any]) -> None:
    """Make ``dataset`` look harvested, as ckanext-harvest records it."""
    from ckan import model
    from ckan.lib import search

    from ckanext.harvest.model import HarvestObject, HarvestSource

    source = HarvestSource(url="http://127.0.0.1:9/bdl", type="bdl", title="GUS BDL")
    model.Session.add(source)
    model.Session.flush()
    model.Session.add(
        HarvestObject(
            guid=dataset["id"],
            current=True,
            package_id=dataset["id"],
            source=source,
            import_finished=dt.datetime.now(),
        )
    )
    model.Session.commit()
    search.rebuild(dataset["id"])


@pytest.fixture
def schedule_today(portal: World) -> World:
    return portal


def _states(text: str) -> list[str]:
    return [part.split('"', 1)[0] for part in text.split('data-bdom-schedule-state="')[1:]]


def test_officer_sees_every_steward_sorted_by_due_date(schedule_today: World) -> None:
    page = schedule_today.page("officer", "/bdom/harmonogram")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert _states(text) == ["overdue", "due_soon", "current", "irregular"]
    assert text.index("Budżet miasta") < text.index("Plan: drogi gminne") < text.index("Zabytki")
    assert "Wydział Oświaty" in text
    assert "GUS BDL" not in text  # the harvester keeps it up to date, not a steward
    # the state in words, not only a colour (Polish once the catalogue has it)
    assert any(f">{label}</span>" in text for label in ("Po terminie", "Overdue"))


def test_coordinator_sees_only_their_stewards(schedule_today: World) -> None:
    text = schedule_today.page("coordinator_a", "/bdom/harmonogram").get_data(as_text=True)

    assert _states(text) == ["overdue", "due_soon", "irregular"]
    assert "HYPERLINK" not in text
    html_b = schedule_today.page("coordinator_b", "/bdom/harmonogram").get_data(as_text=True)
    assert _states(html_b) == ["current"]


def test_others_may_not_see_the_schedule(schedule_today: World) -> None:
    assert schedule_today.page("other", "/bdom/harmonogram").status_code == 403
    assert schedule_today.page("other", "/bdom/harmonogram.csv").status_code == 403
    anonymous = schedule_today.page("anonymous", "/bdom/harmonogram", follow_redirects=False)
    assert anonymous.status_code == 302
    assert "/user/login" in anonymous.headers["Location"]


def test_filters_by_state_and_steward(schedule_today: World) -> None:
    world = schedule_today
    overdue = world.page("officer", "/bdom/harmonogram?state=overdue").get_data(as_text=True)
    assert _states(overdue) == ["overdue"]
    steward_b = world.steward_b["name"]
    of_b = world.page("officer", f"/bdom/harmonogram?steward={steward_b}").get_data(as_text=True)
    assert _states(of_b) == ["current"]
    assert f'<option value="{steward_b}" selected>' in of_b

    wrong = html.unescape(
        world.page("officer", "/bdom/harmonogram?state=spozniony").get_data(as_text=True)
    )
    assert "Nieznany stan „spozniony”" in wrong
    assert "Unknown state 'spozniony'" in wrong
    assert 'aria-describedby="bdom-schedule-state-error"' in wrong
    assert len(_states(wrong)) == 4


def test_csv_export_of_the_filtered_list(schedule_today: World) -> None:
    world = schedule_today
    response = world.page("officer", "/bdom/harmonogram.csv?state=current")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    header, row = rows
    assert len(header) == 7
    assert row[0] == '\'=HYPERLINK("http://zło")'  # never a formula in Excel
    assert row[2] == "Wydział Oświaty"
    assert row[5] == f"{dt.date.today().year + 2}-06-30"

    same = world.page("officer", "/bdom/harmonogram?format=csv&state=current").get_data()
    assert same == data


def test_queue_and_coordinator_pages_link_to_the_schedule(schedule_today: World) -> None:
    queue = schedule_today.page("officer", "/bdom/kolejka").get_data(as_text=True)
    mine = schedule_today.page("coordinator_a", "/bdom/moje").get_data(as_text=True)
    assert 'href="/bdom/harmonogram"' in queue
    assert 'href="/bdom/harmonogram"' in mine


# --- reminders ---------------------------------------------------------------------


@pytest.fixture
def reminders(schedule_today: World) -> World:
    """The module's portal with an empty reminder log."""
    from ckan import model

    from ckanext.bdom.schedule.model import Reminder

    model.Session.query(Reminder).delete()
    model.Session.commit()
    return schedule_today


def _remind(*args: str) -> str:
    result = CliRunner().invoke(remind_command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _email(world: World, role: str) -> str:
    return world.users[role]["email"]


def _day(days: int = 0) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def test_due_soon_to_the_coordinator_overdue_to_the_officer_too(reminders, smtp_sink):
    world = reminders
    output = _remind("--date", _day(), "--no-digest")

    mails = {recipient: (subject, body) for recipient, subject, body in smtp_sink.take()}
    assert set(mails) == {_email(world, "coordinator_a"), _email(world, "officer")}
    subject, body = mails[_email(world, "coordinator_a")]
    assert "Przypomnienie o aktualizacji danych" in subject
    assert "Data update reminder" in subject
    assert body.index("„Budżet miasta”") < body.index('"Budżet miasta"')  # Polish first
    assert f"termin {_day(5)}, termin wkrótce" in body
    assert f"termin {TODAY.year - 1}-06-30, po terminie" in body
    assert f"due {_day(5)}, due soon" in body
    assert "/przekaz" in body
    assert "/dataset/" in body
    _subject, officer_body = mails[_email(world, "officer")]
    assert "Budżet miasta" in officer_body
    assert "drogi gminne" not in officer_body  # only overdue goes to the officer
    assert "HYPERLINK" not in officer_body
    assert "2 message(s) sent" in output


def test_dry_run_sends_nothing_and_says_what_it_would(reminders, smtp_sink):
    output = _remind("--date", _day(), "--dry-run", "--digest")

    assert smtp_sink.take() == []
    assert output.count("would send to") == 3  # coordinator, officer, digest
    assert "overdue: Budżet miasta" in output


def test_a_second_run_the_same_day_sends_nothing_new_the_next_day_sends_again(reminders, smtp_sink):
    _remind("--date", _day(), "--no-digest")
    assert len(smtp_sink.take()) == 2

    assert "nothing to send" in _remind("--date", _day(), "--no-digest")
    assert smtp_sink.take() == []

    _remind("--date", _day(1), "--no-digest")
    assert len(smtp_sink.take()) == 2


def test_weekly_digest_to_the_officer(reminders, smtp_sink):
    world = reminders
    _remind("--date", _day(), "--no-digest")
    smtp_sink.take()

    _remind("--date", _day(), "--digest")
    ((recipient, subject, body),) = smtp_sink.take()
    assert recipient == _email(world, "officer")
    assert "Tygodniowe zestawienie" in subject
    assert "Weekly update digest" in subject
    assert "Wydział Architektury:" in body
    assert "Budżet miasta" in body
    assert "drogi gminne" in body
    assert "HYPERLINK" not in body

    # Monday is the default digest day; it comes with the day's reminders
    monday = _day(7 - TODAY.weekday())
    _remind("--date", monday)
    subjects = [subject for _, subject, _ in smtp_sink.take()]
    assert sum("Weekly update digest" in s for s in subjects) == 1


def test_ckan_bdom_remind_command(reminders):
    from ckanext.bdom.cli import bdom

    assert bdom.commands["remind"] is remind_command
    result = CliRunner().invoke(remind_command, ["--date", "2025-13-01"])
    assert result.exit_code != 0
    assert "RRRR-MM-DD" in result.output
    assert "YYYY-MM-DD" in result.output

    result = CliRunner().invoke(remind_command, ["--dry-run", "--no-digest", "--date", _day()])
    assert result.exit_code == 0, result.output
    assert "dry run: 2 message(s) not sent" in result.output
