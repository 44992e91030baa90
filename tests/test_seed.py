"""`ckan bdom seed`: stewards, thematic groups and vocabularies from config/seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers

from ckanext.scheming.helpers import scheming_get_organization_schema

from ckanext.bdom import config

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SEED_DIR = Path(__file__).resolve().parents[1] / "config" / "seed"


def _entries(file_name: str, key: str) -> list[dict]:
    return yaml.safe_load((SEED_DIR / file_name).read_text(encoding="utf-8"))[key]


STEWARDS = _entries("stewards.yaml", "stewards")
GROUPS = _entries("groups.yaml", "groups")
VOCABULARIES = _entries("vocabularies.yaml", "vocabularies")


def _seed(cli, directory: Path = SEED_DIR):
    return cli.invoke(ckan_cli, ["bdom", "seed", "--dir", str(directory)])


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """An editable copy of the shipped seed files."""
    return Path(shutil.copytree(SEED_DIR, tmp_path / "seed"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _nothing_in_ckan() -> bool:
    return not (
        helpers.call_action("organization_list")
        or helpers.call_action("group_list")
        or helpers.call_action("vocabulary_list")
    )


def test_first_run_creates_everything_and_second_run_changes_nothing(cli):
    first = _seed(cli)
    second = _seed(cli)

    assert first.exit_code == 0, first.output
    assert f"Stewards (gestorzy): {len(STEWARDS)} created, 0 updated, 0 unchanged" in first.output
    assert f"Groups (grupy tematyczne): {len(GROUPS)} created, 0 updated" in first.output
    assert f"Vocabularies (słowniki): {len(VOCABULARIES)} created, 0 updated" in first.output
    assert second.exit_code == 0, second.output
    assert f"Stewards (gestorzy): 0 created, 0 updated, {len(STEWARDS)} unchanged" in second.output
    assert f"Groups (grupy tematyczne): 0 created, 0 updated, {len(GROUPS)} unchanged" in (
        second.output
    )
    assert f"Vocabularies (słowniki): 0 created, 0 updated, {len(VOCABULARIES)} unchanged" in (
        second.output
    )
    assert sorted(helpers.call_action("organization_list")) == sorted(s["name"] for s in STEWARDS)
    gus = helpers.call_action("organization_show", id="glowny-urzad-statystyczny")
    assert gus["bdom_steward_type"] == "external"
    assert gus["bdom_website"] == "https://stat.gov.pl"
    types = {s["bdom_steward_type"] for s in STEWARDS}
    assert types == {"department", "municipal_unit", "municipal_company", "external"}


def test_groups_and_vocabularies_exist_with_their_tags(cli):
    assert _seed(cli).exit_code == 0

    assert sorted(helpers.call_action("group_list")) == sorted(g["name"] for g in GROUPS)
    population = helpers.call_action("group_show", id="ludnosc")
    assert population["title"] == "Ludność"
    assert population["description"].startswith("Liczba i struktura mieszkańców")
    themes = helpers.call_action("vocabulary_show", id="bdom_iso37120_themes")
    names = {tag["name"] for tag in themes["tags"]}
    assert len(names) == 19
    assert {"Gospodarka", "Ścieki", "Rolnictwo miejskie i bezpieczeństwo żywnościowe"} <= names
    keywords = helpers.call_action("vocabulary_show", id="bdom_keywords")
    expected = next(v["tags"] for v in VOCABULARIES if v["name"] == "bdom_keywords")
    assert {tag["name"] for tag in keywords["tags"]} == set(expected)


def test_an_edited_title_is_one_patch_that_keeps_members(cli, seed_copy):
    assert _seed(cli, seed_copy).exit_code == 0
    user = factories.User()
    helpers.call_action(
        "organization_member_create", id="straz-miejska", username=user["name"], role="editor"
    )
    _edit(seed_copy / "stewards.yaml", "title: Straż Miejska\n", "title: Straż Miejska (SM)\n")

    result = _seed(cli, seed_copy)

    assert result.exit_code == 0, result.output
    assert "Stewards (gestorzy): 0 created, 1 updated" in result.output
    assert "~ straz-miejska (title)" in result.output
    assert "Groups (grupy tematyczne): 0 created, 0 updated" in result.output
    guard = helpers.call_action("organization_show", id="straz-miejska")
    assert guard["title"] == "Straż Miejska (SM)"
    assert guard["bdom_abbreviation"] == "SM"
    members = helpers.call_action("member_list", id="straz-miejska", object_type="user")
    assert user["id"] in {member[0] for member in members}


def test_a_new_tag_is_added_and_a_dropped_one_stays(cli, seed_copy):
    assert _seed(cli, seed_copy).exit_code == 0
    _edit(seed_copy / "vocabularies.yaml", "      - rada miasta\n", "      - budżet obywatelski\n")

    result = _seed(cli, seed_copy)

    assert result.exit_code == 0, result.output
    assert "Vocabularies (słowniki): 0 created, 1 updated" in result.output
    keywords = helpers.call_action("vocabulary_show", id="bdom_keywords")
    assert {"budżet obywatelski", "rada miasta"} <= {tag["name"] for tag in keywords["tags"]}


def test_a_deleted_steward_in_the_file_is_restored(cli):
    assert _seed(cli).exit_code == 0
    admin = factories.Sysadmin()
    helpers.call_action("organization_delete", {"user": admin["name"]}, id="straz-miejska")

    result = _seed(cli)

    assert result.exit_code == 0, result.output
    assert "~ straz-miejska (state)" in result.output
    assert helpers.call_action("organization_show", id="straz-miejska")["state"] == "active"


def test_fields_the_schema_gains_pass_through_and_stay_unchanged(cli, seed_copy):
    fields = scheming_get_organization_schema("organization")["fields"]
    if "bdom_coordinators" not in {field["field_name"] for field in fields}:
        pytest.skip("the steward schema has no bdom_coordinators field")
    _edit(
        seed_copy / "stewards.yaml",
        "bdom_abbreviation: SM\n",
        "bdom_abbreviation: SM\n"
        "    bdom_coordinators:\n"
        "      - {name: Jan Kowalski, email: jan.kowalski@example.invalid}\n",
    )

    first = _seed(cli, seed_copy)
    second = _seed(cli, seed_copy)

    assert first.exit_code == 0, first.output
    assert "Stewards (gestorzy): 0 created, 0 updated" in second.output
    guard = helpers.call_action("organization_show", id="straz-miejska")
    assert guard["bdom_coordinators"][0]["email"] == "jan.kowalski@example.invalid"


MALFORMED = {
    "missing name": (
        "stewards.yaml",
        "  - name: straz-miejska\n",
        "  - nazwa: straz-miejska\n",
        ["brak pola „name”", 'missing "name"'],
    ),
    "bad slug": (
        "stewards.yaml",
        "name: straz-miejska\n",
        "name: Straż Miejska\n",
        ["niepoprawna nazwa „Straż Miejska”", 'bad name (slug) "Straż Miejska"'],
    ),
    "unknown steward type": (
        "stewards.yaml",
        "bdom_steward_type: external\n",
        "bdom_steward_type: panstwowa\n",
        ["nieznany rodzaj gestora „panstwowa”", 'unknown steward type "panstwowa"'],
    ),
    "invalid yaml": (
        "groups.yaml",
        "  - name: ludnosc\n",
        "  - name: [ludnosc\n",
        ["niepoprawny YAML", "invalid YAML"],
    ),
    "bad tag": (
        "vocabularies.yaml",
        "      - Woda ",
        "      - Woda/ścieki ",
        ["niepoprawny tag „Woda/ścieki”", 'bad tag "Woda/ścieki"'],
    ),
    "group named like a steward": (
        "groups.yaml",
        "name: ludnosc\n",
        "name: straz-miejska\n",
        ["nazwa „straz-miejska” jest już użyta", 'the name "straz-miejska" is already used'],
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_is_named_in_both_languages_and_nothing_is_written(cli, seed_copy, case):
    file_name, old, new, messages = MALFORMED[case]
    _edit(seed_copy / file_name, old, new)

    result = _seed(cli, seed_copy)

    assert result.exit_code != 0
    assert str(seed_copy / file_name) in result.output
    assert "nic nie zapisano / Seed data not loaded, nothing was written" in result.output
    for message in messages:
        assert message in result.output
    assert _nothing_in_ckan()


def test_a_field_ckan_does_not_store_rolls_the_whole_run_back(cli, seed_copy):
    _edit(
        seed_copy / "stewards.yaml",
        "bdom_abbreviation: PKW\n",
        "bdom_abbreviation: PKW\n    bdom_no_such_field: x\n",
    )

    result = _seed(cli, seed_copy)

    assert result.exit_code != 0
    assert '"panstwowa-komisja-wyborcza"' in result.output
    assert "CKAN nie zapisał pól bdom_no_such_field" in result.output
    assert "CKAN did not store the fields bdom_no_such_field" in result.output
    assert _nothing_in_ckan()


def test_without_dir_or_option_it_asks_for_one(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = cli.invoke(ckan_cli, ["bdom", "seed"])

    assert result.exit_code != 0
    assert "podaj --dir albo ustaw ckanext.bdom.seed_dir" in result.output
    assert "pass --dir or set ckanext.bdom.seed_dir" in result.output


@pytest.mark.ckan_config("ckanext.bdom.seed_dir", "/srv/app/seed")
def test_the_option_names_the_directory():
    assert config.seed_dir() == Path("/srv/app/seed")


def test_without_the_option_the_default_is_config_seed_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config.seed_dir() is None
    (tmp_path / "config" / "seed").mkdir(parents=True)
    assert config.seed_dir() == tmp_path / "config" / "seed"
