"""Promotional content (bdom_promo): news items and featured datasets.

Users act through the real action layer with authorization on and through the
web app with their API tokens; forms are posted as a browser without
JavaScript would post them.
"""

from __future__ import annotations

import base64
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.actors import Actors
from tests.factories import BdomDataset, DraftDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROLES = ("anonymous", "coordinator", "officer", "promotion", "officer_promotion", "sysadmin")
MANAGERS = frozenset({"promotion", "officer_promotion", "sysadmin"})

# a 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _at(**delta: float) -> str:
    """A UTC time relative to now, as the API takes it (with an offset)."""
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)
    return moment.isoformat(timespec="seconds")


@dataclass
class World(Actors):
    def news(self, **fields: Any) -> dict[str, Any]:
        data = {
            "title": "Nowe dane o ludności",
            "lead": "Opublikowaliśmy liczbę mieszkańców za 2024 rok.",
            "body": "Dane pochodzą z **ewidencji ludności**.",
            "publish_at": _at(hours=-1),
            "state": "published",
            **fields,
        }
        return self.call("sysadmin", "bdom_news_create", **data)

    def featured(self, dataset: dict[str, Any], **fields: Any) -> dict[str, Any]:
        data = {"package_id": dataset["name"], "publish_at": _at(hours=-1), **fields}
        return self.call("sysadmin", "bdom_featured_create", **data)


@pytest.fixture
def world(app) -> World:
    users = {
        "coordinator": factories.UserWithToken(),
        "officer": factories.UserWithToken(),
        "promotion": factories.UserWithToken(),
        "officer_promotion": factories.UserWithToken(),
        "sysadmin": factories.SysadminWithToken(),
    }
    roles = {
        "officer": ["officer"],
        "promotion": ["promotion"],
        "officer_promotion": ["officer", "promotion"],
    }
    for role, names in roles.items():
        helpers.call_action(
            "bdom_user_roles_set", {"ignore_auth": True}, id=users[role]["id"], roles=names
        )
    Steward(users=[{"name": users["coordinator"]["name"], "capacity": "admin"}])
    return World(users, app)


# --- who may do what -------------------------------------------------------------


def _create_news(world: World, role: str) -> bool:
    return world.allowed(
        role, "bdom_news_create", title="T", lead="L", publish_at=_at(hours=-1), state="draft"
    )


def _edit_news(world: World, role: str) -> bool:
    item = world.news()
    return world.allowed(
        role, "bdom_news_update", id=item["id"], title="Nowy", lead="L", publish_at=_at()
    )


def _delete_news(world: World, role: str) -> bool:
    return world.allowed(role, "bdom_news_delete", id=world.news()["id"])


def _see_draft_news(world: World, role: str) -> bool:
    return world.allowed(role, "bdom_news_show", id=world.news(state="draft")["id"])


def _list_all_news(world: World, role: str) -> bool:
    return world.allowed(role, "bdom_news_list", all=True)


def _create_featured(world: World, role: str) -> bool:
    dataset = BdomDataset()
    return world.allowed(role, "bdom_featured_create", package_id=dataset["id"], publish_at=_at())


def _edit_featured(world: World, role: str) -> bool:
    item = world.featured(BdomDataset())
    return world.allowed(
        role,
        "bdom_featured_update",
        id=item["id"],
        package_id=item["package_id"],
        publish_at=_at(),
        blurb="Warto",
    )


def _delete_featured(world: World, role: str) -> bool:
    return world.allowed(role, "bdom_featured_delete", id=world.featured(BdomDataset())["id"])


def _see_scheduled_featured(world: World, role: str) -> bool:
    item = world.featured(BdomDataset(), publish_at=_at(days=2))
    return world.allowed(role, "bdom_featured_show", id=item["id"])


def _management_page(world: World, role: str) -> bool:
    status = world.page(role, "/bdom/promocja").status_code
    assert status in (200, 403)
    return status == 200


OPERATIONS: dict[str, Callable[[World, str], bool]] = {
    "create news": _create_news,
    "edit news": _edit_news,
    "delete news": _delete_news,
    "see a draft news item": _see_draft_news,
    "list all news": _list_all_news,
    "create featured": _create_featured,
    "edit featured": _edit_featured,
    "delete featured": _delete_featured,
    "see a scheduled featured dataset": _see_scheduled_featured,
    "management page": _management_page,
}


@pytest.mark.parametrize(("operation", "run"), OPERATIONS.items(), ids=list(OPERATIONS))
def test_authorization_matrix(world: World, operation: str, run: Callable) -> None:
    outcome = {role: run(world, role) for role in ROLES}

    assert outcome == {role: role in MANAGERS for role in ROLES}


def test_promotion_specialist_has_no_dataset_rights(world: World) -> None:
    draft = DraftDataset()
    public = BdomDataset()

    assert not world.allowed("promotion", "package_show", id=draft["id"])
    assert not world.allowed("promotion", "package_patch", id=public["id"], notes="x")
    assert not world.allowed(
        "promotion", "bdom_dataset_transition", id=draft["id"], transition="submit"
    )


# --- what the public sees --------------------------------------------------------


def test_public_sees_only_published_news_in_their_dates(world: World) -> None:
    current = world.news(title="Bieżąca")
    draft = world.news(title="Szkic", state="draft")
    future = world.news(title="Zaplanowana", publish_at=_at(days=1))
    expired = world.news(title="Wygasła", publish_at=_at(days=-3), expire_at=_at(days=-1))
    ending = world.news(title="Do jutra", expire_at=_at(days=1))

    public = world.call("anonymous", "bdom_news_list")
    every = world.call("promotion", "bdom_news_list", all=True)

    assert [n["title"] for n in public["results"]] == ["Do jutra", "Bieżąca"]
    assert public["count"] == 2
    assert {n["title"]: n["status"] for n in every["results"]} == {
        "Bieżąca": "current",
        "Szkic": "draft",
        "Zaplanowana": "scheduled",
        "Wygasła": "expired",
        "Do jutra": "current",
    }
    for hidden in (draft, future, expired):
        assert not world.allowed("anonymous", "bdom_news_show", id=hidden["id"])
        assert world.page("anonymous", f"/aktualnosci/{hidden['id']}").status_code == 404
    for shown in (current, ending):
        assert world.call("anonymous", "bdom_news_show", id=shown["id"])["public"] is True


def test_featured_dataset_must_be_public(world: World) -> None:
    draft = DraftDataset(name="szkic-zbioru")

    with pytest.raises(tk.ValidationError) as error:
        world.featured(draft)
    message = error.value.error_dict["package_id"][0]
    assert "„szkic-zbioru” nie jest opublikowany" in message
    assert "'szkic-zbioru' is not published" in message

    with pytest.raises(tk.ValidationError) as error:
        world.featured({"name": "nie-ma-takiego"})
    message = error.value.error_dict["package_id"][0]
    assert "Nie ma zbioru danych „nie-ma-takiego”" in message
    assert "There is no dataset 'nie-ma-takiego'" in message


def test_featured_dataset_drops_off_when_it_becomes_private(world: World) -> None:
    dataset = BdomDataset(title="Odpady komunalne")
    item = world.featured(dataset, blurb="Ile śmieci zbieramy?")
    assert [f["dataset"]["title"] for f in world.call("anonymous", "bdom_featured_list")] == [
        "Odpady komunalne"
    ]
    assert "Ile śmieci zbieramy?" in world.page("anonymous", "/").get_data(as_text=True)

    world.call("officer", "bdom_dataset_transition", id=dataset["id"], transition="archive")

    assert world.call("anonymous", "bdom_featured_list") == []
    assert "Ile śmieci zbieramy?" not in world.page("anonymous", "/").get_data(as_text=True)
    assert not world.allowed("anonymous", "bdom_featured_show", id=item["id"])
    managed = world.call("promotion", "bdom_featured_list", all=True)
    assert [f["status"] for f in managed] == ["hidden"]


def test_featured_datasets_follow_their_order_and_dates(world: World) -> None:
    world.featured(BdomDataset(title="Drugi"), position=2)
    world.featured(BdomDataset(title="Pierwszy"), position=1)
    world.featured(BdomDataset(title="Później"), publish_at=_at(days=1))
    world.featured(BdomDataset(title="Minął"), publish_at=_at(days=-5), expire_at=_at(days=-1))

    shown = world.call("anonymous", "bdom_featured_list")

    assert [f["dataset"]["title"] for f in shown] == ["Pierwszy", "Drugi"]


# --- validation ------------------------------------------------------------------


def _errors(world: World, action: str, **data: Any) -> dict[str, list[str]]:
    with pytest.raises(tk.ValidationError) as error:
        world.call("promotion", action, **data)
    return error.value.error_dict


def _bilingual(message: str, polish: str, english: str) -> None:
    assert polish in message, message
    assert english in message, message
    assert " / " in message


def test_news_validation_messages_in_both_languages(world: World) -> None:
    empty = _errors(world, "bdom_news_create", title=" ", lead="", publish_at="")
    _bilingual(empty["title"][0], "Podaj tytuł", "Give the news item a title")
    _bilingual(empty["lead"][0], "Podaj lead", "Give a lead")
    _bilingual(empty["publish_at"][0], "Podaj datę publikacji", "Give the publish date")

    wrong = _errors(
        world,
        "bdom_news_create",
        title="x" * 201,
        lead="L",
        publish_at="4 maja",
        state="public",
        image_url="obrazek.png",
    )
    _bilingual(wrong["title"][0], "najwyżej 200 znaków, a ma 201", "at most 200 characters")
    _bilingual(wrong["publish_at"][0], "RRRR-MM-DD", "YYYY-MM-DD HH:MM, e.g.")
    assert "„4 maja”" in wrong["publish_at"][0]
    _bilingual(wrong["state"][0], "„draft”", "'published'")
    _bilingual(wrong["image_url"][0], "https://", "upload a file")
    _bilingual(wrong["image_alt"][0], "Tekst alternatywny", "Alternative text")

    script = _errors(
        world,
        "bdom_news_create",
        title="T",
        lead="L",
        publish_at=_at(),
        image_url="javascript:alert(1)",
        image_alt="x",
    )
    assert list(script) == ["image_url"]

    window = _errors(
        world,
        "bdom_news_create",
        title="T",
        lead="L",
        publish_at="2026-05-04 10:00",
        expire_at="2026-05-04",
    )
    assert list(window) == ["expire_at"]
    _bilingual(window["expire_at"][0], "późniejsza niż data publikacji", "later than the publish")
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


def test_featured_validation_messages_in_both_languages(world: World) -> None:
    dataset = BdomDataset(name="ludnosc")
    world.featured(dataset)

    errors = _errors(
        world,
        "bdom_featured_create",
        package_id="ludnosc",
        position="-1",
        blurb="x" * 301,
        publish_at=_at(),
    )

    _bilingual(errors["package_id"][0], "jest już wyróżniony", "already featured")
    _bilingual(errors["position"][0], "liczba całkowita od 0", "whole number from 0")
    _bilingual(errors["blurb"][0], "najwyżej 300 znaków", "at most 300 characters")
    missing = _errors(world, "bdom_featured_create", publish_at=_at())
    _bilingual(missing["package_id"][0], "Wskaż zbiór danych", "Choose the dataset")


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Warsaw")
def test_dates_without_an_offset_are_in_the_display_timezone(world: World) -> None:
    winter = world.news(publish_at="2026-01-10 10:00", expire_at="2026-01-11")
    summer = world.news(publish_at="2026-07-10T10:00")

    assert winter["publish_at"] == "2026-01-10T09:00:00"
    assert winter["expire_at"] == "2026-01-10T23:00:00"
    assert summer["publish_at"] == "2026-07-10T08:00:00"


# --- pages -----------------------------------------------------------------------


def test_home_page_shows_current_news_and_featured_datasets(world: World) -> None:
    world.news(title="Nowy zbiór o odpadach", lead="Sprawdź, ile odpadów segregujemy.")
    world.news(title="Tajny szkic", state="draft")
    world.news(title="Jutrzejsza wiadomość", publish_at=_at(days=1))
    world.featured(BdomDataset(title="Budżet miasta"), blurb="Na co idą pieniądze?")

    html = world.page("anonymous", "/").get_data(as_text=True)

    assert "Nowy zbiór o odpadach" in html
    assert "Sprawdź, ile odpadów segregujemy." in html
    assert "Tajny szkic" not in html
    assert "Jutrzejsza wiadomość" not in html
    assert "Budżet miasta" in html
    assert "Na co idą pieniądze?" in html
    assert 'href="/aktualnosci"' in html
    assert 'aria-labelledby="bdom-home-news-heading"' in html


@pytest.mark.ckan_config("ckanext.bdom.promo.news_per_page", 2)
def test_news_list_is_paginated_and_a_news_page_renders_markdown(world: World) -> None:
    for day in (3, 2, 1):
        world.news(title=f"Wiadomość {day}", publish_at=_at(days=-day))
    newest = world.news(
        title="Najnowsza", image_url="https://example.org/a.png", image_alt="Wykres"
    )
    world.news(title="Szkic", state="draft")

    first = world.page("anonymous", "/aktualnosci").get_data(as_text=True)
    second = world.page("anonymous", "/aktualnosci?page=2").get_data(as_text=True)
    read = world.page("anonymous", f"/aktualnosci/{newest['id']}").get_data(as_text=True)

    assert '<h1 class="page-heading">Aktualności</h1>' in first
    assert first.index("Najnowsza") < first.index("Wiadomość 1")
    assert "Wiadomość 2" not in first
    assert "Wiadomość 2" in second
    assert "Wiadomość 3" in second
    assert "Szkic" not in first + second
    assert "<h1" in read
    assert "<strong>ewidencji ludności</strong>" in read
    assert '<img class="img-fluid" src="https://example.org/a.png" alt="Wykres">' in read


def test_drafts_are_shown_to_managers_with_a_notice(world: World) -> None:
    draft = world.news(title="Szkic", state="draft")

    page = world.page("promotion", f"/en/aktualnosci/{draft['id']}")

    assert page.status_code == 200
    assert "Not public:" in page.get_data(as_text=True)
    assert world.page("officer", f"/aktualnosci/{draft['id']}").status_code == 404


def test_header_links_to_the_news_and_for_promotion_users_to_their_page(world: World) -> None:
    for role, shown in (("promotion", True), ("sysadmin", True), ("officer", False)):
        html = world.page(role, "/dataset/").get_data(as_text=True)
        assert ('href="/bdom/promocja">Treści promocyjne</a>' in html) is shown, role
    public = world.page("anonymous", "/dataset/").get_data(as_text=True)
    assert '<li><a href="/aktualnosci">Aktualności</a></li>' in public
    english = world.page("promotion", "/en/dataset/").get_data(as_text=True)
    assert 'href="/en/bdom/promocja">Promotional content</a>' in english


# --- management without JavaScript ----------------------------------------------


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Dzień otwartych danych",
        "lead": "Zapraszamy do urzędu.",
        "body": "Spotkanie w sali **sesyjnej**.",
        "image_url": "",
        "image_alt": "",
        "publish_at": "2026-01-05T10:00",
        "expire_at": "",
        "state": "published",
        **fields,
    }


def _error_summary(response: Any) -> list[str]:
    return re.findall(r"bdom-error-summary.*?</div>", response.get_data(as_text=True), re.S)


def test_news_form_creates_edits_and_deletes_without_javascript(world: World) -> None:
    form = world.page("promotion", "/en/bdom/promocja/aktualnosci/dodaj").get_data(as_text=True)
    assert '<label class="form-label" for="field-title">' in form
    assert 'id="field-title"' in form
    assert 'enctype="multipart/form-data"' in form

    created = world.post("promotion", "/bdom/promocja/aktualnosci/dodaj", _form())
    assert created.status_code == 302, _error_summary(created)
    assert created.headers["Location"].endswith("/bdom/promocja")
    (item,) = world.call("promotion", "bdom_news_list", all=True)["results"]
    assert item["title"] == "Dzień otwartych danych"
    assert item["author"] == world.name("promotion")

    edit_url = f"/bdom/promocja/aktualnosci/{item['id']}/edycja"
    edit_form = world.page("promotion", edit_url).get_data(as_text=True)
    assert 'value="Dzień otwartych danych"' in edit_form
    assert re.search(r'id="field-publish_at"[^>]*value="2026-01-05T10:00"', edit_form)
    world.post("promotion", edit_url, _form(title="Dzień otwartych danych 2026"))
    assert world.call("anonymous", "bdom_news_show", id=item["id"])["title"].endswith("2026")

    manage = world.page("promotion", "/bdom/promocja").get_data(as_text=True)
    assert "Dzień otwartych danych 2026" in manage
    delete_url = f"/bdom/promocja/aktualnosci/{item['id']}/usun"
    assert world.page("promotion", delete_url).status_code == 200
    assert world.post("promotion", delete_url, {}).status_code == 302
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


def test_a_failed_form_keeps_what_was_typed_and_ties_errors_to_fields(world: World) -> None:
    response = world.post(
        "promotion",
        "/en/bdom/promocja/aktualnosci/dodaj",
        _form(title="", lead="Mój lead", image_url="https://example.org/x.png", publish_at="jutro"),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert '<a href="#field-title">' in html
    assert re.search(r'id="field-title"[^>]*aria-describedby="field-title-error"', html)
    assert 'aria-invalid="true"' in html
    assert 'id="field-image_alt-error"' in html
    assert ">Mój lead</textarea>" in html
    assert 'value="https://example.org/x.png"' in html
    assert 'value="jutro"' in html
    assert "Alternative text" in html
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


def test_featured_form_without_javascript(world: World) -> None:
    dataset = BdomDataset(title="Ścieżki rowerowe")
    DraftDataset(title="Niegotowy zbiór")

    form = world.page("promotion", "/bdom/promocja/wyroznione/dodaj").get_data(as_text=True)
    assert "Ścieżki rowerowe" in form
    assert "Niegotowy zbiór" not in form

    data = {"package_id": dataset["id"], "blurb": "Mapa tras", "position": "1"}
    data.update(publish_at="2026-01-01T00:00", expire_at="")
    assert world.post("promotion", "/bdom/promocja/wyroznione/dodaj", data).status_code == 302
    (item,) = world.call("anonymous", "bdom_featured_list")
    assert item["blurb"] == "Mapa tras"

    failed = world.post(
        "promotion", "/bdom/promocja/wyroznione/dodaj", {**data, "position": "pierwszy"}
    ).get_data(as_text=True)
    assert "jest już wyróżniony" in failed
    assert 'value="pierwszy"' in failed

    delete_url = f"/bdom/promocja/wyroznione/{item['id']}/usun"
    assert world.post("promotion", delete_url, {}).status_code == 302
    assert world.call("anonymous", "bdom_featured_list") == []
    assert world.call("anonymous", "package_show", id=dataset["id"])["state"] == "active"


def test_others_cannot_post_the_forms(world: World) -> None:
    for role in ("anonymous", "coordinator", "officer"):
        response = world.post(role, "/bdom/promocja/aktualnosci/dodaj", _form())
        assert response.status_code == 403, role
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


# --- images ----------------------------------------------------------------------


def _stored(ckan_config: Any, name: str) -> Path:
    return Path(ckan_config["ckan.storage_path"]) / "storage" / "uploads" / "bdom_news" / name


def test_image_upload_is_stored_served_replaced_and_deleted(world: World, ckan_config) -> None:
    upload = (io.BytesIO(PNG), "wykres.png", "image/png")
    response = world.post(
        "promotion",
        "/bdom/promocja/aktualnosci/dodaj",
        _form(image_upload=upload, image_alt="Wykres liczby mieszkańców"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    (item,) = world.call("promotion", "bdom_news_list", all=True)["results"]
    first = _stored(ckan_config, item["image_url"])
    assert first.read_bytes() == PNG
    assert item["image_display_url"].endswith(f"/uploads/bdom_news/{item['image_url']}")
    served = world.page("anonymous", f"/uploads/bdom_news/{item['image_url']}")
    assert served.status_code == 200
    assert served.data == PNG
    read = world.page("anonymous", f"/aktualnosci/{item['id']}").get_data(as_text=True)
    assert 'alt="Wykres liczby mieszkańców"' in read

    # an edit without a new file keeps the image
    edit_url = f"/bdom/promocja/aktualnosci/{item['id']}/edycja"
    world.post("promotion", edit_url, _form(image_alt="Wykres"))
    kept = world.call("promotion", "bdom_news_show", id=item["id"])
    assert kept["image_url"] == item["image_url"]

    # an image address replaces the stored file, which is removed
    world.post("promotion", edit_url, _form(image_url="https://example.org/b.png", image_alt="B"))
    assert world.call("promotion", "bdom_news_show", id=item["id"])["image_url"].startswith("https")
    assert not first.exists()

    # a new upload, then deleting the item removes its file
    again = (io.BytesIO(PNG), "drugi.png", "image/png")
    world.post("promotion", edit_url, _form(image_upload=again, image_alt="B"))
    second = _stored(
        ckan_config, world.call("promotion", "bdom_news_show", id=item["id"])["image_url"]
    )
    assert second.exists()
    world.call("promotion", "bdom_news_delete", id=item["id"])
    assert not second.exists()


def test_an_upload_that_is_not_an_image_is_refused(world: World) -> None:
    fake = (io.BytesIO(b"<script>alert(1)</script>"), "obrazek.png", "image/png")

    response = world.post(
        "promotion",
        "/bdom/promocja/aktualnosci/dodaj",
        _form(image_upload=fake, image_alt="x"),
        content_type="multipart/form-data",
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "nie jest obrazkiem PNG, JPEG, GIF ani WebP" in html
    assert 'id="field-image_upload-error"' in html
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


def test_an_uploaded_image_needs_alt_text(world: World) -> None:
    upload = (io.BytesIO(PNG), "wykres.png", "image/png")

    response = world.post(
        "promotion",
        "/bdom/promocja/aktualnosci/dodaj",
        _form(image_upload=upload),
        content_type="multipart/form-data",
    )

    assert "Opisz obrazek" in response.get_data(as_text=True)
    assert world.call("promotion", "bdom_news_list", all=True)["count"] == 0


# --- demo content ----------------------------------------------------------------

DEMO = """
organizations:
  - {name: wydzial-demo, title: Wydział demonstracyjny, bdom_steward_type: department}
datasets:
  - name: zbior-demo
    title: Zbiór demonstracyjny
    notes: Opis.
    tag_string: demo
    owner_org: wydzial-demo
    frequency: http://publications.europa.eu/resource/authority/frequency/ANNUAL
    theme: [http://publications.europa.eu/resource/authority/data-theme/SOCI]
    license_id: cc-by
  - {name: szkic-demo, title: Szkic, notes: Opis., tag_string: demo, owner_org: wydzial-demo,
     frequency: "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
     theme: ["http://publications.europa.eu/resource/authority/data-theme/SOCI"],
     license_id: cc-by, workflow_state: draft}
users:
  - {name: promocja-demo, email: p@example.invalid, password: promocja-demo-2026,
     roles: [promotion]}
news:
  - {title: Witamy, lead: Portal działa., state: published, publish_days_ago: 1,
     image: wykres.png, image_alt: Wykres}
  - {title: Szkic wiadomości, lead: Jeszcze nie., state: draft}
featured:
  - {dataset: zbior-demo, blurb: Warto zajrzeć., position: 0}
  - {dataset: szkic-demo}
"""


def test_demo_load_creates_promotional_content_once(world: World, tmp_path: Path) -> None:
    from ckanext.bdom.lib import demo

    path = tmp_path / "demo.yaml"
    path.write_text(DEMO, encoding="utf-8")
    (tmp_path / "wykres.png").write_bytes(PNG)
    content = demo.read_demo(path)

    first = [demo.apply_step(step) for step in content.steps()]
    again = [demo.apply_step(step) for step in content.steps()]

    assert first == [True, True, True, True, True, True, True, False]
    assert not any(again)
    user = helpers.call_action("user_show", id="promocja-demo")
    assert world.allowed("sysadmin", "bdom_news_list", all=True)
    news = world.call("anonymous", "bdom_news_list")["results"]
    assert [n["title"] for n in news] == ["Witamy"]
    assert news[0]["image_display_url"].endswith(".png")
    assert world.page("anonymous", news[0]["image_display_url"]).data == PNG
    assert [f["dataset"]["name"] for f in world.call("anonymous", "bdom_featured_list")] == [
        "zbior-demo"
    ]
    promotion = {**world.users, "demo": {**user, "token": ""}}
    assert World(users=promotion, app=world.app).allowed("demo", "bdom_news_list", all=True)


def test_shipped_demo_features_published_datasets() -> None:
    from ckanext.bdom import config
    from ckanext.bdom.lib import demo

    content = demo.read_demo(config.demo_file())
    published = {
        d["name"] for d in content.datasets if d.get("workflow_state", "published") == "published"
    }

    assert 2 <= len(content.featured) <= 3
    assert {f["dataset"] for f in content.featured} <= published
    assert 2 <= len([n for n in content.news if n["state"] == "published"]) <= 3
    assert any("promotion" in u.get("roles", []) for u in content.users)
