"""The dataset lifecycle (bdom_workflow): roles, transitions, visibility, pages.

Users act through the real action layer with authorization on
(``ignore_auth=False``) and through the web app with their API tokens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import factory
import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.actors import Actors
from tests.conftest import SmtpSink
from tests.factories import DraftDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROLES = ("anonymous", "coordinator_a", "coordinator_b", "officer", "promotion", "sysadmin")
EDITORS_OF_A = frozenset({"coordinator_a", "officer", "sysadmin"})
OFFICERS = frozenset({"officer", "sysadmin"})

# transitions (run by a sysadmin) that bring a new draft to a state
PATH_TO = {
    "draft": (),
    "submitted": ("submit",),
    "verified": ("submit", "verify"),
    "published": ("submit", "verify", "publish"),
}


@dataclass
class World(Actors):
    steward_a: dict[str, Any]
    steward_b: dict[str, Any]
    created: list[str] = field(default_factory=list)

    def transition(self, role: str, dataset: dict, name: str, comment: str = "") -> dict:
        return self.call(
            role, "bdom_dataset_transition", id=dataset["id"], transition=name, comment=comment
        )

    def dataset(self, status: str = "draft", **fields: Any) -> dict[str, Any]:
        """A dataset of steward A, brought to ``status`` by a sysadmin."""
        dataset = DraftDataset(owner_org=self.steward_a["id"], **fields)
        for transition in PATH_TO[status]:
            dataset = self.transition("sysadmin", dataset, transition)
        return dataset


@pytest.fixture
def world(app) -> World:
    users = {
        "coordinator_a": factories.UserWithToken(),
        "coordinator_b": factories.UserWithToken(),
        "officer": factories.UserWithToken(),
        "promotion": factories.UserWithToken(),
        "sysadmin": factories.SysadminWithToken(),
    }
    for role, roles in (("officer", ["officer"]), ("promotion", ["promotion"])):
        helpers.call_action(
            "bdom_user_roles_set",
            {"user": users["sysadmin"]["name"], "ignore_auth": False},
            id=users[role]["id"],
            roles=roles,
        )
    steward_a = Steward(users=[{"name": users["coordinator_a"]["name"], "capacity": "editor"}])
    steward_b = Steward(users=[{"name": users["coordinator_b"]["name"], "capacity": "editor"}])
    return World(users=users, app=app, steward_a=steward_a, steward_b=steward_b)


def _shown(world: World, dataset_id: str) -> dict[str, Any]:
    return helpers.call_action("package_show", id=dataset_id)


def _field(dataset: dict[str, Any], name: str) -> str | None:
    """A workflow field: top-level once the schema displays it, else an extra."""
    extras = {e["key"]: e["value"] for e in dataset.get("extras", [])}
    return dataset.get(name, extras.get(name))


def _status(dataset: dict[str, Any]) -> str | None:
    return _field(dataset, "bdom_status")


# --- the authorization matrix ----------------------------------------------------
# Each operation: (state of the dataset it needs, or None; shared by all roles?;
# the operation, returning True when the user could do it / could see the dataset).


def _create(world: World, role: str, _dataset: Any) -> bool:
    data = factory.build(dict, FACTORY_CLASS=DraftDataset, owner_org=world.steward_a["id"])
    return world.allowed(role, "package_create", **data)


def _transition(name: str) -> Callable[[World, str, dict], bool]:
    def run(world: World, role: str, dataset: dict) -> bool:
        try:
            world.transition(role, dataset, name, "Uzupełnij opis kolumn.")
        except tk.NotAuthorized:
            return False
        return True

    return run


def _edit(world: World, role: str, dataset: dict) -> bool:
    return world.allowed(role, "package_patch", id=dataset["id"], notes="Nowy opis.")


def _delete(world: World, role: str, dataset: dict) -> bool:
    return world.allowed(role, "package_delete", id=dataset["id"])


def _show(world: World, role: str, dataset: dict) -> bool:
    return world.allowed(role, "package_show", id=dataset["id"])


def _search(world: World, role: str, dataset: dict) -> bool:
    found = world.call(role, "package_search", fq=f"id:{dataset['id']}", include_private=True)
    return found["count"] == 1


def _datastore(world: World, role: str, dataset: dict) -> bool:
    return world.allowed(role, "datastore_search", resource_id=dataset["resources"][0]["id"])


def _catalog(world: World, role: str, dataset: dict) -> bool:
    body = world.page(role, "/catalog.ttl").get_data(as_text=True)
    assert world.created[0] in body, "the published control dataset is in the catalogue"
    return dataset["id"] in body


def _page(world: World, role: str, dataset: dict) -> bool:
    response = world.page(role, f"/dataset/{dataset['name']}")
    assert response.status_code in (200, 404)
    return response.status_code == 200


OPERATIONS: dict[str, tuple[str | None, bool, Callable, frozenset[str]]] = {
    "create": (None, False, _create, EDITORS_OF_A),
    "edit": ("draft", False, _edit, EDITORS_OF_A),
    "submit": ("draft", False, _transition("submit"), EDITORS_OF_A),
    "return": ("submitted", False, _transition("return"), OFFICERS),
    "verify": ("submitted", False, _transition("verify"), OFFICERS),
    "publish": ("verified", False, _transition("publish"), OFFICERS),
    "archive": ("published", False, _transition("archive"), OFFICERS),
    "delete": ("draft", False, _delete, EDITORS_OF_A),
    "view: package_show": ("draft", True, _show, EDITORS_OF_A),
    "view: package_search": ("draft", True, _search, EDITORS_OF_A),
    "view: datastore_search": ("draft", True, _datastore, EDITORS_OF_A),
    "view: /catalog.ttl": ("draft", True, _catalog, frozenset()),
    "view: dataset page": ("draft", True, _page, EDITORS_OF_A),
}


def _dataset_for(world: World, operation: str, status: str | None) -> dict | None:
    if status is None:
        return None
    dataset = world.dataset(status)
    if operation == "view: datastore_search":
        world.call(
            "sysadmin",
            "datastore_create",
            resource={"package_id": dataset["id"], "name": "Liczba mieszkańców"},
            records=[{"rok": 2024, "liczba": 66234}],
            force=True,
        )
        dataset = _shown(world, dataset["id"])
    return dataset


@pytest.mark.parametrize(("operation", "spec"), OPERATIONS.items(), ids=list(OPERATIONS))
def test_authorization_matrix(world: World, operation: str, spec: tuple) -> None:
    status, shared, run, allowed = spec
    world.created.append(world.dataset("published")["id"])  # public control dataset
    dataset = _dataset_for(world, operation, status) if shared else None

    outcome = {
        role: run(world, role, dataset if shared else _dataset_for(world, operation, status))
        for role in ROLES
    }

    assert outcome == {role: role in allowed for role in ROLES}


# --- publication only through the workflow ---------------------------------------


def test_coordinator_cannot_make_a_dataset_public_and_nothing_changes(world: World) -> None:
    dataset = world.dataset("draft")

    with pytest.raises(tk.ValidationError) as error:
        world.call("coordinator_a", "package_patch", id=dataset["id"], private=False)

    message = error.value.error_dict["private"][0]
    assert "pełnomocnik ds. otwartych danych" in message
    assert "open data officer" in message
    after = _shown(world, dataset["id"])
    assert after["private"] is True
    assert after["metadata_modified"] == dataset["metadata_modified"]
    assert _status(after) == "draft"


def test_status_cannot_be_set_through_package_update(world: World) -> None:
    dataset = world.dataset("draft")
    extras = [e for e in dataset["extras"] if e["key"] != "bdom_status"]
    as_extra = {**dataset, "extras": [*extras, {"key": "bdom_status", "value": "published"}]}
    as_field = {**dataset, "bdom_status": "published"}

    for role in ("coordinator_a", "officer"):
        for data in (as_extra, as_field):
            with pytest.raises(tk.ValidationError) as error:
                world.call(role, "package_update", **data)
            assert "bdom_status" in error.value.error_dict

    assert _status(_shown(world, dataset["id"])) == "draft"


def test_new_datasets_are_private_drafts_even_for_a_sysadmin(world: World) -> None:
    data = factory.build(dict, FACTORY_CLASS=DraftDataset, owner_org=world.steward_a["id"])

    created = world.call("sysadmin", "package_create", **data)

    assert created["private"] is True
    assert _status(created) == "draft"
    with pytest.raises(tk.ValidationError):
        world.call("sysadmin", "package_create", **{**data, "name": "inny", "private": False})


def test_ordinary_edits_keep_the_status(world: World) -> None:
    dataset = world.dataset("published")

    world.call("officer", "package_patch", id=dataset["id"], notes="Poprawiony opis.")
    world.call(
        "sysadmin", "resource_create", package_id=dataset["id"], url="https://example.org/a.csv"
    )
    form_like = {k: v for k, v in _shown(world, dataset["id"]).items() if k != "extras"}
    world.call("sysadmin", "package_update", **form_like)

    after = _shown(world, dataset["id"])
    assert after["private"] is False
    assert _status(after) == "published"
    assert after["notes"] == "Poprawiony opis."


def test_visibility_cannot_change_in_bulk(world: World) -> None:
    dataset = world.dataset("draft")

    for role in ("officer", "sysadmin"):
        assert not world.allowed(
            role, "bulk_update_public", org_id=world.steward_a["id"], datasets=[dataset["id"]]
        )
    assert _shown(world, dataset["id"])["private"] is True


def test_a_coordinator_cannot_delete_a_published_dataset(world: World) -> None:
    dataset = world.dataset("published")

    assert not world.allowed("coordinator_a", "package_delete", id=dataset["id"])
    assert world.allowed("officer", "package_delete", id=dataset["id"])


def test_officer_creates_datasets_for_any_steward(world: World) -> None:
    data = factory.build(dict, FACTORY_CLASS=DraftDataset, owner_org=world.steward_b["id"])

    created = world.call("officer", "package_create", **data)

    assert created["organization"]["id"] == world.steward_b["id"]


# --- transitions -----------------------------------------------------------------


def test_return_requires_a_comment(world: World) -> None:
    dataset = world.dataset("submitted")

    with pytest.raises(tk.ValidationError) as error:
        world.transition("officer", dataset, "return")

    assert "komentarz" in error.value.error_dict["comment"][0]
    assert "comment" in error.value.error_dict["comment"][0]
    assert _status(_shown(world, dataset["id"])) == "submitted"


def test_a_transition_not_allowed_from_the_state_says_what_is(world: World) -> None:
    dataset = world.dataset("draft")

    with pytest.raises(tk.ValidationError) as error:
        world.transition("officer", dataset, "publish")

    message = error.value.error_dict["transition"][0]
    assert "„szkic”" in message
    assert "dozwolone: submit" in message
    assert "allowed: submit" in message


CYCLES = {  # the state it starts in; steps of (role, transition, comment, status, private)
    "a first publication, with a return": (
        "draft",
        [
            ("coordinator_a", "submit", "", "submitted", True),
            ("officer", "return", "Brak jednostek miary.", "returned", True),
            ("coordinator_a", "submit", "Dodano jednostki.", "submitted", True),
            ("officer", "verify", "", "verified", True),
            ("officer", "publish", "", "published", False),
            ("officer", "archive", "", "archived", True),
        ],
    ),
    "an update of a published dataset: public while under review": (
        "published",
        [
            ("coordinator_a", "submit", "Nowe dane za 2025.", "submitted", False),
            ("officer", "return", "Brak roku 2025.", "returned", False),
            ("coordinator_a", "submit", "Dodano rok 2025.", "submitted", False),
            ("officer", "verify", "", "verified", False),
            ("officer", "publish", "", "published", False),
            ("officer", "archive", "", "archived", True),
        ],
    ),
}


@pytest.mark.parametrize(("start", "steps"), list(CYCLES.values()), ids=list(CYCLES))
def test_workflow_cycles(world: World, start: str, steps: list) -> None:
    dataset = world.dataset(start)
    for role, transition, comment, status, private in steps:
        result = world.transition(role, dataset, transition, comment)
        assert (_status(result), result["private"]) == (status, private)


def test_the_officer_sees_that_the_published_version_stays_public(world: World) -> None:
    dataset = world.dataset("published")
    world.transition("coordinator_a", dataset, "submit", "Nowe dane za 2025.")

    page = world.page("officer", f"/dataset/{dataset['name']}").get_data(as_text=True)

    assert "Opublikowana wersja pozostaje publiczna do czasu opublikowania aktualizacji." in page


def test_activity_stream_records_who_and_the_comment(world: World) -> None:
    dataset = world.dataset("submitted")

    world.transition("officer", dataset, "return", "Brak jednostek miary.")

    activities = world.call("officer", "package_activity_list", id=dataset["id"])
    latest = activities[0]
    assert latest["user_id"] == world.users["officer"]["id"]
    assert latest["activity_type"] == "changed package"
    assert _status(latest["data"]["package"]) == "returned"
    assert _field(latest["data"]["package"], "bdom_status_comment") == "Brak jednostek miary."


# --- e-mail ----------------------------------------------------------------------


def _wait_for_mail(sink: SmtpSink, count: int) -> list[Any]:
    """Run the queued background jobs, as the job worker would, then wait for
    the sink to receive ``count`` messages."""
    from ckan.lib import jobs

    jobs.Worker().work(burst=True)  # the default queue
    deadline = time.monotonic() + 10
    while len(sink.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return sink.messages


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_submission_mails_the_officer_and_return_mails_the_coordinator(world, smtp_sink):
    dataset = world.dataset("draft")
    world.transition("coordinator_a", dataset, "submit")
    world.transition("officer", dataset, "return", "Brak jednostek miary.")

    messages = _wait_for_mail(smtp_sink, 2)
    recipients = [rcpt for rcpt, _ in messages]
    assert recipients == [
        [world.users["officer"]["email"]],
        [world.users["coordinator_a"]["email"]],
    ]
    returned = messages[1][1]
    body = returned.get_payload(decode=True).decode("utf-8")
    assert "zwrócony do poprawy" in body
    assert "returned for correction" in body
    assert "Brak jednostek miary." in body


# --- pages -----------------------------------------------------------------------


def test_queue_lists_submitted_datasets_oldest_first(world: World) -> None:
    first, second, third = (
        world.dataset("draft", title=t) for t in ("Pierwszy", "Drugi", "Trzeci")
    )
    world.dataset("draft", title="Nieprzekazany")
    for dataset in (second, third, first):
        world.transition("coordinator_a", dataset, "submit")

    page = world.page("officer", "/bdom/kolejka")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Drugi") < html.index("Trzeci") < html.index("Pierwszy")
    assert "Nieprzekazany" not in html
    assert world.page("coordinator_a", "/bdom/kolejka").status_code == 403
    assert world.page("anonymous", "/bdom/kolejka").status_code == 403


def test_coordinator_page_lists_drafts_and_returned_datasets(world: World) -> None:
    world.dataset("draft", title="Szkic gestora A")
    returned = world.dataset("submitted", title="Zwrócony zbiór")
    world.transition("officer", returned, "return", "Popraw opis.")
    world.dataset("submitted", title="Czeka na weryfikację")

    own = world.page("coordinator_a", "/bdom/moje").get_data(as_text=True)
    other = world.page("coordinator_b", "/bdom/moje").get_data(as_text=True)

    assert "Szkic gestora A" in own
    assert "Zwrócony zbiór" in own
    assert "Popraw opis." in own
    assert "Czeka na weryfikację" not in own
    assert "Szkic gestora A" not in other


def test_dataset_page_shows_the_status_to_the_coordinator_only(world: World) -> None:
    dataset = world.dataset("published")

    coordinator = world.page("coordinator_a", f"/en/dataset/{dataset['name']}").get_data(
        as_text=True
    )
    anonymous = world.page("anonymous", f"/en/dataset/{dataset['name']}").get_data(as_text=True)

    assert 'data-bdom-status="published"' in coordinator
    assert 'data-bdom-status="published"' not in anonymous


def test_coordinator_submits_from_the_dataset_page_without_javascript(world: World) -> None:
    dataset = world.dataset("draft")
    page = world.page("coordinator_a", f"/en/dataset/{dataset['name']}").get_data(as_text=True)
    assert 'name="transition" value="submit"' in page
    assert 'value="publish"' not in page

    response = world.app.test_client().post(
        f"/bdom/zbior/{dataset['name']}/obieg",
        data={"transition": "submit", "comment": "Gotowe."},
        headers=world.headers("coordinator_a"),
    )

    assert response.status_code == 200
    assert _status(_shown(world, dataset["id"])) == "submitted"


def test_coordinator_creates_a_draft_with_the_web_form(world: World) -> None:
    client = world.app.test_client()
    headers = world.headers("coordinator_a")
    form = client.get("/dataset/new", headers=headers).get_data(as_text=True)
    assert 'name="private"' not in form

    first = client.post(
        "/dataset/new",
        data={
            "_ckan_phase": "dataset_new_1",
            "save": "continue",
            "title": "Drzewa w parkach",
            "name": "drzewa-w-parkach",
            "notes": "Inwentaryzacja drzew w parkach miejskich.",
            "tag_string": "zieleń,drzewa",
            "owner_org": world.steward_a["id"],
            "frequency": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
            "theme": "http://publications.europa.eu/resource/authority/data-theme/ENVI",
            "license_id": "cc-by",
        },
        headers=headers,
    )
    assert first.status_code in (200, 302), first.get_data(as_text=True)[-2000:]
    second = client.post(
        "/dataset/drzewa-w-parkach/resource/new",
        data={
            "url": "https://example.org/drzewa.csv",
            "name": "Drzewa",
            "format": "CSV",
            "save": "go-metadata",
            "id": "",
        },
        headers=headers,
    )
    assert second.status_code in (200, 302), second.get_data(as_text=True)[-2000:]

    dataset = _shown(world, "drzewa-w-parkach")
    assert dataset["state"] == "active"
    assert dataset["private"] is True
    assert _status(dataset) == "draft"


# --- roles -----------------------------------------------------------------------


def test_only_a_sysadmin_sets_roles(world: World) -> None:
    officer = world.users["officer"]

    assert not world.allowed("officer", "bdom_user_roles_set", id=officer["id"], roles=[])
    with pytest.raises(tk.ValidationError) as error:
        world.call("sysadmin", "bdom_user_roles_set", id=officer["id"], roles=["wizard"])
    assert "Nieznana rola: wizard" in error.value.error_dict["roles"][0]
    assert world.call(
        "sysadmin", "bdom_user_roles_set", id=officer["id"], roles="officer,promotion"
    )["roles"] == ["officer", "promotion"]


def test_loaders_bring_a_dataset_to_any_state(world: World) -> None:
    from ckanext.bdom.workflow.transitions import bring_to

    dataset = world.dataset("draft")

    archived = bring_to({"user": world.name("officer")}, dataset["id"], "archived")

    assert (_status(archived), archived["private"]) == ("archived", True)
    activities = world.call("officer", "package_activity_list", id=dataset["id"])
    statuses = [_status(a["data"]["package"]) for a in reversed(activities)]
    assert statuses == ["submitted", "verified", "published", "archived"]


def test_header_links_to_the_queue_for_the_officer_only(world: World) -> None:
    officer = world.page("officer", "/dataset/").get_data(as_text=True)
    coordinator = world.page("coordinator_a", "/dataset/").get_data(as_text=True)
    anonymous = world.page("anonymous", "/dataset/").get_data(as_text=True)

    assert 'href="/bdom/kolejka"' in officer
    assert 'href="/bdom/kolejka"' not in coordinator
    assert 'href="/bdom/moje"' in coordinator
    assert 'href="/bdom/moje"' not in anonymous
