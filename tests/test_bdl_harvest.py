"""Full BDL harvests through the gather and fetch queues against the local
BDL-compatible server, with real CKAN, Solr, DataStore, xloader and the
workflow. One harvest source, four jobs, run in order (each test builds on the
one before): first harvest, nothing changed, a changed value with a vanished
variable, a failing unit and faults the client survives, malformed payloads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import ckan.plugins as plugins
from ckan import model
from ckan.tests import factories, helpers

from ckanext.bdom.harvesters.bdl.fixture_server import FixtureServer
from ckanext.bdom.harvesters.bdl.mapping import COLUMN_TYPES
from tests.conftest import LOGS, TEST_INI, Stack, running_stack, wait_for
from tests.factories import Steward

GMINA, POWIAT = "012414874011", "012414874000"
TOPICS = ["ludnosc", "rynek-pracy", "radni"]


class Env:
    def __init__(self, server: FixtureServer, admin: dict, source: dict, stack: Stack) -> None:
        self.server = server
        self.admin = admin
        self.source = source
        self.stack = stack

    def log(self, name: str) -> str:
        return self.stack.log(name)


@pytest.fixture(scope="module")
def bdl(reset_db, migrate_db_for) -> Iterator[Env]:
    """A clean database, the fixture server and the portal's processes; their
    ini adds an xloader token so harvested CSVs reach the DataStore."""
    plugins.load_all()  # with_plugins is per test; the setup below needs them
    reset_db()
    for plugin in ("activity", "harvest"):
        migrate_db_for(plugin)
    admin = factories.SysadminWithToken()
    steward = Steward(name="glowny-urzad-statystyczny", title="Główny Urząd Statystyczny")
    server = FixtureServer(slow_seconds=3).start()
    LOGS.mkdir(parents=True, exist_ok=True)
    ini = LOGS / "bdl.ini"
    ini.write_text(
        f"[app:main]\nuse = config:{TEST_INI}\nckanext.xloader.api_token = {admin['token']}\n"
    )
    try:
        with running_stack(ini, prefix="bdl-") as stack:
            source = helpers.call_action(
                "harvest_source_create",
                {"user": admin["name"]},
                name="gus-bdl",
                title="GUS BDL (serwer demonstracyjny)",
                url=server.url,
                source_type="bdl",
                owner_org=steward["id"],
                frequency="MANUAL",
                config=json.dumps({"topics": TOPICS, "notice": "Dane demonstracyjne."}),
            )
            yield Env(server, admin, source, stack)
    finally:
        server.stop()


def run_job(env: Env) -> dict[str, Any]:
    """One harvest job through the queues; its finished record."""
    context = {"user": env.admin["name"]}
    env.server.state.requests.clear()
    job = helpers.call_action(
        "harvest_job_create", dict(context), source_id=env.source["id"], run=True
    )

    def finished():
        model.Session.remove()
        helpers.call_action("harvest_jobs_run", dict(context))
        shown = helpers.call_action("harvest_job_show", id=job["id"])
        return shown if shown["status"] == "Finished" else None

    return wait_for(
        finished,
        timeout=180,
        interval=1,
        what="the BDL harvest job",
        explain=lambda: env.log("harvest-gather")[-3000:] + env.log("harvest-fetch")[-3000:],
    )


def report(job: dict[str, Any]) -> str:
    return str(helpers.call_action("harvest_job_report", id=job["id"]))


def dataset(key: str) -> dict[str, Any]:
    model.Session.remove()
    return helpers.call_action("package_show", id=f"bdl-{key}")


def rows(resource_id: str) -> list[dict[str, Any]]:
    return helpers.call_action("datastore_search", resource_id=resource_id, limit=1000)["records"]


def activities(package_id: str) -> int:
    # as the public sees them: the harvester acts as its own account, whose
    # activities CKAN does not hide (it hides the site user's)
    found = helpers.call_action(
        "package_activity_list",
        {"ignore_auth": True},
        id=package_id,
        limit=100,
    )
    return len(found)


def loaded(env: Env, key: str, check=lambda records: bool(records)) -> list[dict[str, Any]]:
    """Wait for xloader to fill the topic's table and ``check`` to hold."""

    def ready():
        resource = dataset(key)["resources"][0]
        if not resource.get("datastore_active"):
            return None
        # read only between loads: a read while xloader replaces the table can
        # leave both waiting
        status = helpers.call_action("xloader_status", resource_id=resource["id"])
        if status.get("status") != "complete":
            return None
        records = rows(resource["id"])
        return records if check(records) else None

    return wait_for(
        ready,
        timeout=120,
        what=f"the DataStore table of {key}",
        explain=lambda: env.log("worker")[-3000:],
    )


def value(records, unit: str, var: int, year: int):
    (row,) = [
        r
        for r in records
        if r["unit_id"] == unit and int(r["variable_id"]) == var and int(r["year"]) == year
    ]
    return row["value"]


pytestmark = pytest.mark.usefixtures("with_plugins")


def test_first_harvest_publishes_one_dataset_per_topic_with_typed_datastore_tables(bdl):
    job = run_job(bdl)
    assert job["stats"].get("added") == 3, report(job)
    assert not job["stats"].get("errored"), report(job)
    # one batch per unit: gmina, powiat, Śląskie, Poland; a first read needs no change check
    assert len(bdl.server.state.requests) == 4, bdl.server.state.requests
    assert not [r for r in bdl.server.state.requests if "metadata" in r]
    population = dataset("ludnosc")
    assert population["private"] is False
    assert population["bdom_status"] == "published"
    assert population["organization"]["name"] == "glowny-urzad-statystyczny"
    assert population["frequency"].endswith("/ANNUAL")
    assert population["bdom_source"] == "gus_bdl"
    assert activities(population["id"]) > 0  # the public activity stream shows the harvest
    assert population["temporal_coverage"][0]["start"] == "2015-01-01"
    assert "Dane demonstracyjne." in population["notes"]
    records = loaded(bdl, "ludnosc")
    resource = population["resources"][0]
    info = helpers.call_action("datastore_info", id=resource["id"])
    types = {field["id"]: field["type"] for field in info["fields"]}
    assert types == COLUMN_TYPES  # unit ids stay text: leading zeros kept
    assert {r["unit_id"] for r in records} == {GMINA, POWIAT, "012400000000", "000000000000"}
    assert value(records, GMINA, 72305, 2024) is not None  # preliminary, flagged
    assert {
        r["flag"] for r in records if int(r["variable_id"]) == 72305 and int(r["year"]) == 2024
    } == {"s"}
    labour = loaded(bdl, "rynek-pracy")
    assert value(labour, GMINA, 106027, 2015) is None  # attrId 4: no data, not 0
    assert {r["unit_id"] for r in labour if int(r["variable_id"]) == 60270} == {
        POWIAT,
        "012400000000",
        "000000000000",
    }  # powiat-level variable


def test_a_repeat_harvest_with_nothing_changed_changes_nothing(bdl):
    for key in TOPICS:  # xloader has finished with every table
        loaded(bdl, key)
    before = {key: dataset(key) for key in TOPICS}
    counts = {key: activities(d["id"]) for key, d in before.items()}
    job = run_job(bdl)
    assert job["stats"].get("not modified") == 3, report(job)
    assert bdl.server.state.requests == [
        r for r in bdl.server.state.requests if r.startswith("/api/v1/data/metadata")
    ]
    assert len(bdl.server.state.requests) == 1
    for key, old in before.items():
        new = dataset(key)
        assert new["metadata_modified"] == old["metadata_modified"]
        assert new["resources"][0]["last_modified"] == old["resources"][0]["last_modified"]
        assert activities(new["id"]) == counts[key]


def test_changed_value_updates_vanished_variable_is_kept_failed_unit_errors_its_topics(bdl):
    state = bdl.server.state
    council = dataset("radni")
    population = dataset("ludnosc")
    population_rows = loaded(bdl, "ludnosc")
    council_activities = activities(council["id"])
    old = value(loaded(bdl, "radni"), GMINA, 7, 2023)
    state.set_value(GMINA, 7, 2023, 99)
    state.set_value(GMINA, 72305, 2023, 12345)  # population: its topic will fail
    state.remove_variable(6)
    state.fault("500", times=0, match="by-unit/012414874000")  # the powiat keeps failing
    # survived on the way: throttling with and without Retry-After, a timeout
    # (test.ini: 2 s; the server answers after 3 s) and a field BDL may add
    state.fault("429", times=1, match="by-unit/012414874011")
    state.fault("429-bare", times=1, match="by-unit/012414874011")
    state.fault("timeout", times=1, match="by-unit/012400000000")
    state.fault("unknown-field", times=1, match="by-unit/000000000000")
    try:
        job = run_job(bdl)
    finally:
        state.reset_faults()
    assert job["stats"].get("updated") == 1, report(job)
    assert job["stats"].get("errored") == 2, report(job)
    text = report(job)
    assert "500" in text
    assert "Published data stay unchanged" in text
    assert "429" in bdl.log("harvest-gather")

    council = dataset("radni")
    assert council["bdom_status"] == "published"
    assert council["bdom_bdl_discontinued"].startswith("6 ")
    assert "wycofana w BDL" in council["notes"]
    assert f"7 {GMINA} 2023: {old}" in council["resources"][0]["description"]
    assert activities(council["id"]) > council_activities
    records = loaded(
        bdl,
        "radni",
        lambda rs: any(
            r["unit_id"] == GMINA
            and int(r["variable_id"]) == 7
            and int(r["year"]) == 2023
            and r["value"] == 99
            for r in rs
        ),
    )
    assert any(int(r["variable_id"]) == 6 for r in records)  # its rows are kept

    unchanged = dataset("ludnosc")  # errored: still published with the old data
    assert unchanged["bdom_status"] == "published"
    assert unchanged["metadata_modified"] == population["metadata_modified"]
    assert rows(unchanged["resources"][0]["id"]) == population_rows


def test_malformed_payloads_error_their_topics_and_never_blank_published_data(bdl):
    state = bdl.server.state
    before = {key: dataset(key) for key in TOPICS}
    state._touch()
    state.fault("truncated", times=1, match="by-unit/000000000000")
    state.fault("missing-field", times=1, match="by-unit/012400000000")
    job = run_job(bdl)
    assert job["stats"].get("errored") == 3, report(job)
    text = report(job)
    assert "JSON" in text  # the truncated answer; every topic also asks Poland
    for key, old in before.items():
        new = dataset(key)
        assert new["bdom_status"] == "published"
        assert new["metadata_modified"] == old["metadata_modified"]
        assert rows(new["resources"][0]["id"])


def test_source_configuration_is_validated_in_both_languages(bdl):
    with pytest.raises(Exception, match="Nieznane tematy: pogoda.*Unknown topics: pogoda"):
        helpers.call_action(
            "harvest_source_create",
            {"user": bdl.admin["name"]},
            name="gus-bdl-zle",
            title="Zła konfiguracja",
            url=bdl.server.url,
            source_type="bdl",
            owner_org=bdl.source["owner_org"],
            config='{"topics": ["pogoda"]}',
        )
