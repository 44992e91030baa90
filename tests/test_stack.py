"""The real background machinery: xloader through the RQ worker, harvesting
through the gather and fetch queues on Redis."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.conftest import wait_for
from tests.factories import BdomDataset, Steward

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "bdom_stack")

DATA = Path(__file__).parent / "data"
CSV = (
    "rok,liczba_ludnosci,gestosc_zaludnienia,dzielnica\n2022,65012,2549.5,Centrum\n"
    "2023,64580,2532.6,Bytków\n2024,64129,2514.9,Michałkowice\n"
)


def test_uploaded_csv_is_loaded_into_the_datastore_by_the_job_worker(create_with_upload):
    admin = factories.SysadminWithToken()
    tk.config["ckanext.xloader.api_token"] = admin["token"]
    dataset = BdomDataset()
    resource = create_with_upload(
        CSV,
        "ludnosc.csv",
        context={"user": admin["name"]},
        url="ludnosc.csv",
        package_id=dataset["id"],
        format="CSV",
    )

    def loaded():
        # the job fills the table first, then flags the resource
        if not helpers.call_action("resource_show", id=resource["id"]).get("datastore_active"):
            return None
        return helpers.call_action("datastore_search", resource_id=resource["id"])

    result = wait_for(loaded, timeout=90, what="xloader to fill the DataStore")
    assert result["total"] == 3
    types = {field["id"]: field["type"] for field in result["fields"]}
    assert types == {
        "_id": "int",
        "rok": "numeric",
        "liczba_ludnosci": "numeric",
        "gestosc_zaludnienia": "numeric",
        "dzielnica": "text",
    }
    rows = sorted(result["records"], key=lambda row: row["rok"])
    assert [row["dzielnica"] for row in rows] == ["Centrum", "Bytków", "Michałkowice"]
    assert float(rows[0]["gestosc_zaludnienia"]) == 2549.5


@pytest.fixture
def dcat_server() -> Iterator[str]:
    """A local HTTP server that publishes a DCAT catalogue, as a remote portal would."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_harvest_consumers_survive_an_idle_queue(bdom_stack):
    time.sleep(7)  # redis-py 8 used to cut blocked reads after 5 s (see test.ini)
    for name in ("harvest-gather", "harvest-fetch", "worker", "web"):
        assert bdom_stack.processes[name].poll() is None, bdom_stack.log(name)[-2000:]


def test_harvest_job_runs_through_the_gather_and_fetch_queues(dcat_server, bdom_stack):
    steward = Steward(name="gus")
    admin = {"user": factories.Sysadmin()["name"]}
    source = helpers.call_action(
        "harvest_source_create",
        dict(admin),
        name="katalog-testowy",
        title="Katalog testowy",
        url=f"{dcat_server}/catalog.ttl",
        source_type="dcat_rdf",
        owner_org=steward["id"],
        frequency="MANUAL",
        config='{"rdf_format": "text/turtle"}',
    )

    first = _run_job(admin, source["id"], bdom_stack)

    assert first["status"] == "Finished"
    assert first["stats"].get("errored", 0) == 0, _report(first)
    assert first["stats"]["added"] == 2
    harvested = helpers.call_action(  # harvested datasets wait for the officer as drafts
        "package_search", fq="harvest_source_id:" + source["id"], include_private=True
    )
    assert sorted(d["title"] for d in harvested["results"]) == [
        "Drogi rowerowe",
        "Powierzchnia terenów zieleni",
    ]
    assert {d["bdom_status"] for d in harvested["results"]} == {"draft"}

    # harvesting again finds its own drafts (bdom_dcat_rdf_harvester: dcat's
    # harvester looked them up as an anonymous user and its consumer died)
    second = _run_job(admin, source["id"], bdom_stack)

    assert second["status"] == "Finished"
    assert second["stats"].get("errored", 0) == 0, _report(second)
    assert second["stats"].get("added", 0) == 0
    again = helpers.call_action(
        "package_search", fq="harvest_source_id:" + source["id"], include_private=True
    )
    assert sorted(d["id"] for d in again["results"]) == sorted(
        d["id"] for d in harvested["results"]
    )
    assert bdom_stack.processes["harvest-fetch"].poll() is None


def _run_job(admin: dict, source_id: str, stack) -> dict:
    """Run a harvest job through the queues; once every object is done, mark
    the job finished as the periodic `ckan harvester run` does."""
    from ckanext.harvest.model import HarvestObject

    job = helpers.call_action("harvest_job_create", dict(admin), source_id=source_id, run=True)

    def objects_done():
        model.Session.remove()  # a fresh view, as another process would have
        shown = helpers.call_action("harvest_job_show", id=job["id"])
        pending = (
            model.Session.query(HarvestObject.id)
            .filter_by(harvest_job_id=job["id"])
            .filter(HarvestObject.state.notin_(["COMPLETE", "ERROR"]))
            .count()
        )
        return shown["gather_finished"] and pending == 0

    wait_for(
        objects_done,
        timeout=180,
        what="the harvest job's objects to be fetched and imported",
        explain=lambda: _harvest_diagnosis(stack, job["id"]),
    )
    model.Session.remove()
    helpers.call_action("harvest_jobs_run", dict(admin), source_id=source_id)
    return helpers.call_action("harvest_job_show", id=job["id"])


def _report(job: dict) -> dict:
    return helpers.call_action("harvest_job_report", id=job["id"])


def _harvest_diagnosis(stack, job_id: str) -> str:
    """What the job, its objects and the consumers say, for a failure message."""
    from ckanext.harvest.model import HarvestObject

    model.Session.remove()
    job = helpers.call_action("harvest_job_show", id=job_id)
    states = model.Session.query(HarvestObject.state).filter_by(harvest_job_id=job_id).all()
    alive = {name: process.poll() is None for name, process in stack.processes.items()}
    return (
        f"processes alive: {alive}\n"
        f"job: {job['status']} gather_finished={job['gather_finished']} stats={job['stats']}\n"
        f"objects: {[state for (state,) in states]}\n"
        f"--- gather log ---\n{stack.log('harvest-gather')[-3000:]}\n"
        f"--- fetch log ---\n{stack.log('harvest-fetch')[-3000:]}\n"
        f"--- worker log ---\n{stack.log('worker')[-1500:]}"
    )
