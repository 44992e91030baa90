"""Render the DCAT catalogue pages in the background after the catalogue changes.

A write schedules one job (a Redis flag keeps it to one at a time); the job
waits until the catalogue has been quiet for a moment, so a harvest or a bulk
load is rendered once, then renders every catalogue page in the configured
formats through ``dcat_catalog_show``, which stores them in the cache, and the
schema.org description of each changed public dataset. Readers after a change
then find them ready instead of paying for the rendering, and writes do not
wait for it.
"""

from __future__ import annotations

import logging
import math
import time

import click
import flask

import ckan.plugins.toolkit as tk

from ckanext.bdom.dcat_cache import store

log = logging.getLogger(__name__)
QUIET_S = 5
MAX_WAIT_S = 300


def _flag() -> str:
    return f"{store.PREFIX}{tk.config['ckan.site_id']}:warm-pending"


def _datasets_to_render() -> str:
    return f"{store.PREFIX}{tk.config['ckan.site_id']}:structured-data-pending"


def dataset_changed(dataset_id: str) -> None:
    """Remember a changed dataset whose schema.org description the job renders."""
    if store.ttl() > 0:
        store.client().sadd(_datasets_to_render(), dataset_id)
    schedule()


def schedule() -> None:
    """Queue a warming job unless one is already waiting."""
    if store.ttl() <= 0:
        return
    if store.client().set(_flag(), "1", nx=True, ex=MAX_WAIT_S + 600):
        tk.enqueue_job(bdom_warm_dcat_catalogue, title="BDoM: render the DCAT catalogue")


def _wait_until_quiet() -> None:
    version, since, started = store.catalogue_version(), time.monotonic(), time.monotonic()
    while time.monotonic() - since < QUIET_S and time.monotonic() - started < MAX_WAIT_S:
        time.sleep(1)
        current = store.catalogue_version()
        if current != version:
            version, since = current, time.monotonic()


def _flask_app() -> flask.Flask:
    if flask.has_app_context():
        return flask.current_app
    context = click.get_current_context(silent=True)  # `ckan jobs worker`
    if context is None or "flask_app" not in context.meta:
        raise RuntimeError("the DCAT catalogue can only be rendered inside CKAN")
    return context.meta["flask_app"]


def render_pages(formats: list[str]) -> int:
    """Render every catalogue page in ``formats`` into the cache; the count."""
    count = store.public_dataset_count()
    per_page = tk.config["ckanext.dcat.datasets_per_page"]
    pages = min(
        max(1, math.ceil(count / per_page)), tk.config["ckanext.bdom.dcat_cache.warm_pages"]
    )
    app = _flask_app()
    rendered = 0
    for fmt in formats:
        for page in range(1, pages + 1):
            # the same parameters as a request for /catalog.<fmt>?page=<page>
            for page_arg in [None, "1"] if page == 1 else [str(page)]:
                query = {"page": page_arg} if page_arg else {}
                with app.test_request_context(f"/catalog.{fmt}", query_string=query):
                    tk.get_action("dcat_catalog_show")(
                        {"ignore_auth": True}, {"page": page_arg, "format": fmt}
                    )
                rendered += 1
    return rendered


def render_structured_data() -> int:
    """Render the schema.org description of every changed public dataset into
    the cache (private ones are rendered once they are published); the count."""
    client = store.client()
    rendered = 0
    app = _flask_app()
    while dataset_id := client.spop(_datasets_to_render()):
        try:
            dataset = tk.get_action("package_show")(
                {"ignore_auth": True}, {"id": dataset_id.decode()}
            )
        except tk.ObjectNotFound:
            continue
        if dataset.get("private") or dataset.get("state") != "active":
            continue
        with app.test_request_context(f"/dataset/{dataset['name']}"):
            tk.h.structured_data(dataset)
        rendered += 1
    return rendered


def bdom_warm_dcat_catalogue() -> int:
    """The background job."""
    _wait_until_quiet()
    store.client().delete(_flag())
    formats = tk.config["ckanext.bdom.dcat_cache.warm_formats"]
    rendered = render_pages(formats) if formats else 0
    log.info("DCAT catalogue: %s pages rendered into the cache", rendered)
    datasets = render_structured_data()
    log.info("schema.org descriptions of %s datasets rendered into the cache", datasets)
    return rendered
