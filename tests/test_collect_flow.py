"""Collecting data from stewards (bdom_collect): forms, submission, review,
publication into the DataStore.

Coordinators and the officer act through the web app with their API tokens
and through the real action layer with authorization on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.bdom.collect import forms
from ckanext.bdom.collect.columns import Column
from tests.actors import Actors, clean_portal, make_officer
from tests.factories import DraftDataset, Steward

ROLES = ("anonymous", "coordinator_a", "coordinator_b", "officer", "sysadmin")

DICTIONARY = [
    {"name": "rok", "type": "integer", "description": "Rok", "required": "true", "key": "true"},
    {
        "name": "dzielnica",
        "type": "text",
        "description": "Dzielnica miasta",
        "allowed_values": "Centrum, Bytków, Michałkowice",
        "required": "true",
        "key": "true",
    },
    {"name": "ludnosc", "type": "integer", "unit": "osoby", "description": "Liczba mieszkańców"},
    {"name": "gestosc", "type": "decimal", "unit": "osoby/km2", "description": "Gęstość"},
    {"name": "park", "type": "boolean", "description": "Czy jest park"},
]
DEMO = Path(__file__).resolve().parents[1] / "ckanext" / "bdom" / "demo" / "siemianowice.yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class World(Actors):
    steward_a: dict[str, Any]

    def planned(self, **fields: Any) -> dict[str, Any]:
        """A planned dataset of steward A with a column dictionary, as the officer makes it."""
        data = {
            "owner_org": self.steward_a["id"],
            "bdom_collect_years": "2023 - 2024",
            "bdom_collect_due": "2025-03-31",
            "resources": [
                {"name": "Ludność według dzielnic", "url": "", "bdom_columns": DICTIONARY}
            ],
            **fields,
        }
        return DraftDataset(**data)

    def upload(self, role: str, dataset: dict, content: bytes, name: str) -> Any:
        return self.app.test_client().post(
            f"/bdom/zbior/{dataset['name']}/przekaz",
            data={"upload": (io.BytesIO(content), name)},
            headers=self.headers(role),
            content_type="multipart/form-data",
            follow_redirects=False,
        )

    def transition(self, role: str, dataset: dict, name: str, comment: str = "") -> Any:
        return self.post(
            role,
            f"/bdom/zbior/{dataset['name']}/obieg",
            {"transition": name, "comment": comment},
        )

    def status(self, dataset: dict) -> str:
        return helpers.call_action("package_show", id=dataset["id"])["bdom_status"]

    def records(self, dataset: dict) -> list[dict[str, Any]]:
        shown = helpers.call_action("package_show", id=dataset["id"])
        return helpers.call_action(
            "datastore_search", resource_id=shown["resources"][0]["id"], sort="rok, dzielnica"
        )


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for, reset_index) -> World:
    """One web app, users and stewards for the module, on a clean database:
    each test works on datasets of its own, so one reset is enough (the app
    loads the plugins of test.ini)."""
    app = clean_portal(reset_db, migrate_db_for, reset_index)
    users = {
        "coordinator_a": factories.UserWithToken(),
        "coordinator_b": factories.UserWithToken(),
        "officer": factories.UserWithToken(),
        "sysadmin": factories.SysadminWithToken(),
    }
    make_officer(users)
    steward_a = Steward(users=[{"name": users["coordinator_a"]["name"], "capacity": "editor"}])
    Steward(users=[{"name": users["coordinator_b"]["name"], "capacity": "editor"}])
    return World(users=users, app=app, steward_a=steward_a)


def _filled(form: bytes, values: dict[tuple[int, str], Any]) -> bytes:
    """The downloaded XLSX form with values typed in, as a steward fills it."""
    workbook = openpyxl.load_workbook(io.BytesIO(form))
    sheet = workbook["Dane"]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        year = sheet.cell(row=row, column=1).value
        district = sheet.cell(row=row, column=2).value
        for column, value in values.get((year, district), {}).items():
            sheet.cell(row=row, column=header.index(column) + 1).value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FIRST = {
    (2023, "Centrum"): {"ludnosc": 20150, "gestosc": 3512.5, "park": "tak"},
    (2023, "Bytków"): {"ludnosc": 9870, "gestosc": 1805.25, "park": "nie"},
    (2023, "Michałkowice"): {"ludnosc": 12040, "gestosc": 1620.75, "park": "tak"},
    (2024, "Centrum"): {"ludnosc": 19980, "gestosc": 3482.0, "park": "tak"},
    (2024, "Bytków"): {"ludnosc": 9911, "gestosc": 1812.5, "park": "nie"},
    (2024, "Michałkowice"): {"ludnosc": 11998, "gestosc": 1615.0, "park": "tak"},
}


def _published_with_first(world: World) -> dict[str, Any]:
    """The planned dataset, filled, submitted, verified and published through the pages."""
    dataset = world.planned()
    form = world.page("coordinator_a", f"/bdom/zbior/{dataset['name']}/formularz.xlsx")
    assert (
        world.upload(
            "coordinator_a", dataset, _filled(form.data, FIRST), "ludnosc.xlsx"
        ).status_code
        == 302
    )
    assert world.transition("officer", dataset, "verify").status_code == 302
    assert world.transition("officer", dataset, "publish").status_code == 302
    return dataset


# --- forms --------------------------------------------------------------------------


DANGEROUS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR")


def test_forms_are_safe_against_formula_injection() -> None:
    columns = [
        Column("rok", "integer", key=True),
        Column("opis", "text", description=DANGEROUS[0], allowed_values=DANGEROUS[1:], key=True),
    ]

    workbook = openpyxl.load_workbook(io.BytesIO(forms.xlsx_form(columns, [2024], DANGEROUS[0])))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    text = [cell for cell in cells if isinstance(cell.value, str)]
    csv_lines = forms.csv_form(columns, [2024]).decode("utf-8-sig").splitlines()

    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    risky = [cell for cell in text if cell.value.startswith(forms.FORMULA_STARTS)]
    assert {cell.value for cell in risky} >= set(DANGEROUS)
    assert all(cell.quotePrefix for cell in risky)
    cells_of_csv = [cell for line in csv_lines[1:] for cell in line.split(";")]
    assert "'+1+1" in cells_of_csv
    assert "'@SUM(A1)" in cells_of_csv
    assert not [cell for cell in cells_of_csv if cell.startswith(forms.FORMULA_STARTS)]


def test_the_xlsx_form_has_year_blocks_lists_and_instructions(world: World) -> None:
    dataset = world.planned()

    response = world.page("coordinator_a", f"/bdom/zbior/{dataset['name']}/formularz.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook["Dane"]
    assert [cell.value for cell in sheet[1]] == ["rok", "dzielnica", "ludnosc", "gestosc", "park"]
    assert [(r[0], r[1]) for r in sheet.iter_rows(min_row=2, values_only=True)] == list(FIRST)
    assert "osoby" in sheet["C1"].comment.text
    lists = {
        str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }
    assert set(lists) == {"B2:B21", "E2:E21"}
    assert "Instrukcja" in workbook.sheetnames
    guide = " ".join(str(c.value) for c in workbook["Instrukcja"]["A"] if c.value)
    assert "Jak wypełnić formularz" in guide
    assert "How to fill in the form" in guide

    csv_form = world.page("coordinator_a", f"/bdom/zbior/{dataset['name']}/formularz.csv")
    assert csv_form.data.startswith(
        b"\xef\xbb\xbfrok;dzielnica;ludnosc;gestosc;park\r\n2023;Centrum;;;"
    )


# --- the loop -----------------------------------------------------------------------


def test_template_round_trip_reaches_the_datastore_with_the_dictionary_types(world: World) -> None:
    dataset = world.planned()
    mine = world.page("coordinator_a", "/bdom/moje").get_data(as_text=True)
    assert dataset["title"] in mine
    assert f"/bdom/zbior/{dataset['name']}/przekaz" in mine

    form = world.page("coordinator_a", f"/bdom/zbior/{dataset['name']}/formularz.xlsx").data
    filled = _filled(form, FIRST)
    sent = world.upload("coordinator_a", dataset, filled, "ludność 2024.xlsx")

    assert sent.status_code == 302
    assert world.status(dataset) == "submitted"
    submission = helpers.call_action("bdom_submission_show", id=dataset["id"])
    assert (submission["row_count"], submission["state"]) == (6, "pending")
    assert submission["detected"]["format"] == "xlsx"
    original = world.page(
        "officer", f"/bdom/zbior/{dataset['name']}/przekazanie/{submission['id']}/oryginal"
    )
    assert original.data == filled

    review = world.page("officer", f"/bdom/zbior/{dataset['name']}/przeglad").get_data(as_text=True)
    assert 'data-count="added">6<' in review
    assert world.transition("officer", dataset, "verify").status_code == 302
    assert world.transition("officer", dataset, "publish").status_code == 302

    found = world.records(dataset)
    types = {field["id"]: field["type"] for field in found["fields"]}
    assert types["rok"] == "int4" or types["rok"] == "int"
    assert (types["gestosc"], types["park"], types["dzielnica"]) == ("numeric", "bool", "text")
    rows = {(r["rok"], r["dzielnica"]): r for r in found["records"]}
    assert rows[(2023, "Michałkowice")]["ludnosc"] == 12040
    assert float(rows[(2023, "Bytków")]["gestosc"]) == 1805.25
    assert rows[(2024, "Bytków")]["park"] is False
    assert helpers.call_action("bdom_submission_show", id=dataset["id"])["state"] == "published"
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
    assert resource["format"] == "CSV"
    assert resource["bdom_submission_id"] == submission["id"]
    assert plugins.get_plugin("bdom_collect").can_upload(resource["id"]) is False  # IXloader


def test_a_returned_submission_keeps_its_comment_and_a_new_file_is_submitted_again(
    world: World,
) -> None:
    dataset = world.planned()
    rows = [f"{year};{district};{100 + n};1,5;tak" for n, (year, district) in enumerate(FIRST)]
    content = "\n".join(["rok;dzielnica;ludnosc;gestosc;park", *rows]).encode("cp1250")
    assert world.upload("coordinator_a", dataset, content, "dane.csv").status_code == 302

    returned = world.transition("officer", dataset, "return", "Ludność wygląda na zaniżoną.")

    assert returned.status_code == 302
    assert world.status(dataset) == "returned"
    page = world.page("coordinator_a", f"/en/bdom/zbior/{dataset['name']}/przekaz")
    assert "Ludność wygląda na zaniżoną." in page.get_data(as_text=True)
    assert world.upload("coordinator_a", dataset, content, "dane-2.csv").status_code == 302
    assert world.status(dataset) == "submitted"
    listed = helpers.call_action("bdom_submission_list", id=dataset["id"])
    assert [(s["original_name"], s["state"]) for s in listed] == [
        ("dane-2.csv", "pending"),
        ("dane.csv", "returned"),
    ]


def test_a_bad_upload_shows_a_bilingual_report_and_leaves_published_data_intact(
    world: World,
) -> None:
    dataset = _published_with_first(world)
    before = world.records(dataset)["records"]
    bad = "rok;dzielnica;ludnosc;gestosc;park\n2024;Centrum;dużo;3482,0;tak\n".encode("cp1250")

    response = world.upload("coordinator_a", dataset, bad, "ludnosc.csv")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ludnosc" in page
    assert "dużo" in page
    assert 'lang="pl"' in page
    assert 'lang="en"' in page
    assert 'aria-invalid="true"' in page
    assert "field-upload-error" in page
    assert world.status(dataset) == "published"
    assert world.records(dataset)["records"] == before
    assert [s["state"] for s in helpers.call_action("bdom_submission_list", id=dataset["id"])] == [
        "published"
    ]


def test_the_api_refuses_a_bad_file_with_the_problems_in_both_languages(world: World) -> None:
    dataset = world.planned()
    bad = b"rok,dzielnica,ludnosc\n2024,Nowa,10\n"

    response = world.app.test_client().post(
        "/api/3/action/bdom_submission_create",
        data={"id": dataset["name"], "upload": (io.BytesIO(bad), "plik.csv")},
        headers=world.headers("coordinator_a"),
        content_type="multipart/form-data",
    )

    assert response.status_code == 409
    error = response.json["error"]
    assert error["problems"]
    assert all(p["message_pl"] and p["message_en"] for p in error["problems"])
    assert " / " in error["upload"][0]
    assert world.status(dataset) == "draft"


def test_an_update_goes_to_review_while_the_public_keeps_the_published_data(
    world: World,
) -> None:
    dataset = _published_with_first(world)
    update = "rok,dzielnica,ludnosc,gestosc,park\n" + "\n".join(
        [
            "2023,Centrum,20150,3512.5,tak",
            "2023,Bytków,9870,1805.25,nie",
            "2023,Michałkowice,12040,1620.75,tak",
            "2024,Centrum,19980,3482.0,tak",
            "2024,Bytków,9950,1812.5,tak",  # changed: ludnosc and park
        ]
    )  # 2024 Michałkowice removed
    response = world.upload("coordinator_a", dataset, update.encode(), "korekta.csv")
    assert response.status_code == 302
    assert world.status(dataset) == "submitted"
    public = world.app.test_client().get(f"/dataset/{dataset['name']}")
    assert public.status_code == 200  # the public keeps the published version meanwhile
    assert world.records(dataset)["total"] == 6

    review = world.page("officer", f"/bdom/zbior/{dataset['name']}/przeglad").get_data(as_text=True)

    assert 'data-count="changed">1<' in review
    assert 'data-count="removed">1<' in review
    assert 'data-count="added">0<' in review
    assert 'data-count="unchanged">4<' in review
    assert "<del>9911</del>" in review
    assert "<ins>9950</ins>" in review
    assert 'value="verify"' in review
    assert 'value="return"' in review
    changes = helpers.call_action("bdom_submission_diff", id=dataset["id"])
    assert changes["changed"][0]["key"] == ["2024", "Bytków"]

    assert world.transition("officer", dataset, "return", "Sprawdź Bytków.").status_code == 302
    assert world.status(dataset) == "returned"
    assert world.app.test_client().get(f"/dataset/{dataset['name']}").status_code == 200
    assert world.records(dataset)["total"] == 6
    again = world.upload("coordinator_a", dataset, update.encode(), "korekta-2.csv")
    assert again.status_code == 302
    assert world.transition("officer", dataset, "verify").status_code == 302
    assert world.transition("officer", dataset, "publish").status_code == 302

    assert world.status(dataset) == "published"
    rows = {(r["rok"], r["dzielnica"]): r for r in world.records(dataset)["records"]}
    assert len(rows) == 5
    assert rows[(2024, "Bytków")]["ludnosc"] == 9950
    listed = helpers.call_action("bdom_submission_list", id=dataset["id"])
    assert [s["state"] for s in listed] == ["published", "returned", "superseded"]


# --- who may do what ----------------------------------------------------------------


def _submit_api(world: World, role: str, dataset: dict) -> bool:
    response = world.app.test_client().post(
        "/api/3/action/bdom_submission_create",
        data={"id": dataset["id"], "upload": (io.BytesIO(b""), "pusty.csv")},
        headers=world.headers(role),
        content_type="multipart/form-data",
    )
    return response.status_code != 403


PAGES = {
    "form": ("/bdom/zbior/{name}/formularz.xlsx", {"coordinator_a", "officer", "sysadmin"}),
    "submit page": ("/bdom/zbior/{name}/przekaz", {"coordinator_a", "sysadmin"}),
    "review page": ("/bdom/zbior/{name}/przeglad", {"officer", "sysadmin"}),
}


def test_authorization_of_forms_submission_and_review(world: World) -> None:
    dataset = world.planned()

    pages = {
        label: {
            role
            for role in ROLES
            if world.page(role, url.format(name=dataset["name"])).status_code == 200
        }
        for label, (url, _allowed) in PAGES.items()
    }
    api = {role for role in ROLES if _submit_api(world, role, dataset)}
    show = {role for role in ROLES if world.allowed(role, "bdom_submission_list", id=dataset["id"])}

    assert pages == {label: allowed for label, (_url, allowed) in PAGES.items()}
    assert api == {"coordinator_a", "sysadmin"}
    assert show == {"coordinator_a", "officer", "sysadmin"}
    assert world.status(dataset) == "draft"


# --- demo content -------------------------------------------------------------------


def test_the_demo_plans_a_dataset_for_its_coordinator(world: World, tmp_path: Path) -> None:
    from ckanext.bdom.lib import demo

    shipped = yaml.safe_load(DEMO.read_text("utf-8"))
    planned = next(d for d in shipped["datasets"] if d.get("bdom_collect_years"))
    coordinator = next(u for u in shipped["users"] if u.get("steward"))
    steward = next(o for o in shipped["organizations"] if o["name"] == planned["owner_org"])
    path = tmp_path / "demo.yaml"
    path.write_text(
        yaml.safe_dump({"organizations": [steward], "datasets": [planned], "users": [coordinator]}),
        "utf-8",
    )
    steps = demo.read_demo(path).steps()

    assert [demo.apply_step(step) for step in steps] == [True, True, True]
    assert [demo.apply_step(step) for step in steps] == [False, False, False]
    dataset = helpers.call_action("package_show", id=planned["name"])
    assert (dataset["bdom_status"], dataset["bdom_collect_years"]) == ("draft", "2019-2024")
    as_coordinator = {"user": coordinator["name"], "ignore_auth": False}
    assert helpers.call_action("bdom_submission_list", as_coordinator, id=dataset["id"]) == []
    assert tk.check_access("bdom_submission_create", as_coordinator, {"id": dataset["id"]})


def test_data_published_before_the_loop_are_compared_from_the_datastore(world: World) -> None:
    dataset = world.planned()
    for name in ("submit", "verify", "publish"):
        assert world.transition("officer" if name != "submit" else "coordinator_a", dataset, name)
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
    helpers.call_action(
        "datastore_create",
        {"user": world.name("sysadmin")},
        resource_id=resource["id"],
        force=True,
        fields=[
            {"id": "rok", "type": "int"},
            {"id": "dzielnica"},
            {"id": "ludnosc", "type": "int"},
        ],
        records=[
            {"rok": 2024, "dzielnica": "Centrum", "ludnosc": 19980},
            {"rok": 2024, "dzielnica": "Bytków", "ludnosc": 9911},
        ],
    )
    update = "rok,dzielnica,ludnosc,gestosc,park\n2024,Centrum,19980,,\n2024,Bytków,9950,,\n"

    assert world.upload("coordinator_a", dataset, update.encode(), "2024.csv").status_code == 302
    changes = helpers.call_action("bdom_submission_diff", id=dataset["id"])

    assert changes["counts"] == {"added": 0, "changed": 1, "removed": 0, "unchanged": 1}
    assert changes["changed"][0]["cells"] == [{"column": "ludnosc", "old": "9911", "new": "9950"}]
