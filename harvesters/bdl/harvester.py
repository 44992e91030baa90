"""The ckanext-harvest plugin ``bdom_bdl``: harvest source type ``bdl``.

* gather: reads the source configuration; on a repeat harvest it asks BDL
  once whether anything changed since the last read (``/data/metadata`` →
  ``dateModified``; a first harvest skips that request) and, if so or if the
  last full read is older than ``full_refresh_days``, requests
  the values of every topic's variables together (batched by unit). One
  harvest object per topic (dataset) carries its tidy rows or the error of its
  requests.
* fetch: no request; an error content errors the object only, and a topic
  whose rows and metadata did not change is "unchanged" (no new activity).
* import: creates (as a draft) or updates the dataset, uploads the CSV, has
  xloader load it into the DataStore with declared column types and, for a
  source with ``publish`` (the default), publishes a new dataset through the
  workflow, as the harvester's own account (``ckanext.bdom.bdl.user``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject
from ckanext.xloader.interfaces import IXloader

from . import bookkeeping, collect, mapping, source_config
from .client import BdlClient, BdlError

log = logging.getLogger(__name__)

SOURCE_TYPE = "bdl"
FILE_PREFIX = "bdl-"
PUBLISH_COMMENT = (
    "Opublikowano automatycznie: źródło harwestowania BDL zatwierdzone przez "
    "pełnomocnika ds. otwartych danych. / Published automatically: BDL harvest "
    "source approved by the open data officer."
)


def api_key() -> str | None:
    """``ckanext.bdom.bdl.api_key``, else ``BDOM_BDL_API_KEY``; never logged."""
    return tk.config.get("ckanext.bdom.bdl.api_key") or os.environ.get("BDOM_BDL_API_KEY") or None


def make_client(base_url: str, lang: str = "pl") -> BdlClient:
    read_timeout = float(tk.config.get("ckanext.bdom.bdl.timeout") or 30)
    return BdlClient(
        base_url or "https://bdl.stat.gov.pl/api/v1",
        api_key=api_key(),
        lang=lang,
        timeout=(min(5.0, read_timeout), read_timeout),
        max_retries=int(tk.config.get("ckanext.bdom.bdl.max_retries") or 4),
        backoff_base=float(tk.config.get("ckanext.bdom.bdl.backoff_base") or 1.0),
        max_wait=float(tk.config.get("ckanext.bdom.bdl.max_wait") or 900),
    )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _harvest_user() -> str:
    """The named account imports act as (see ``ckanext.bdom.bdl.user``),
    created as a sysadmin when missing."""
    name = tk.config.get("ckanext.bdom.bdl.user")
    try:
        tk.get_action("user_show")({"ignore_auth": True}, {"id": name})
    except tk.ObjectNotFound:
        site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        tk.get_action("user_create")(
            {"ignore_auth": True, "user": site},
            {
                "name": name,
                "fullname": "GUS BDL (harwester)",
                "email": f"{name}@harvester.invalid",
                "password": secrets.token_urlsafe(32),
                "sysadmin": True,
            },
        )
        log.info("Created the BDL harvester's account %s", name)
    return name


def _change_marker(client: BdlClient) -> str | None:
    try:
        return client.data_modified()
    except BdlError as error:
        log.warning("BDL change marker unavailable (%s): reading every topic", error)
        return None


def _fresh_enough(previous: dict[str, Any], days: int) -> bool:
    try:
        fetched = dt.datetime.fromisoformat(previous["fetched_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return dt.datetime.now(dt.timezone.utc) - fetched < dt.timedelta(days=days)


def nothing_changed(
    previous: dict[str, dict[str, Any]],
    topics: list[mapping.Topic],
    marker: str | None,
    config_digest: str,
    refresh_days: int,
) -> bool:
    """True when BDL's change marker and our configuration are as last time and
    the last full read is recent, so no value request is needed."""
    if not marker or not topics:
        return False
    for topic in topics:
        before = previous.get(topic.guid)
        if not before or before.get("config") != config_digest:
            return False
        if not _same_data(before, marker) or not _fresh_enough(before, refresh_days):
            return False
    return True


# BDL's ``dateModified`` carries no time zone; a change this close to our last
# read counts as newer than it, so the margin can only cause an extra read.
MARKER_MARGIN = dt.timedelta(days=1)


def _same_data(before: dict[str, Any], marker: str) -> bool:
    """True when BDL's data are those of the last read: the change marker is the
    one seen then, or, where the first harvest saved its request for the marker,
    the marker dates from well before that read."""
    if before.get("marker"):
        return before["marker"] == marker
    try:
        modified = dt.datetime.fromisoformat(marker).replace(tzinfo=dt.timezone.utc)
        fetched = dt.datetime.fromisoformat(before["fetched_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return modified < fetched - MARKER_MARGIN


class BdlHarvester(HarvesterBase):
    """GUS Bank Danych Lokalnych: one dataset per topic, tidy CSV in the DataStore."""

    p.implements(p.IConfigDeclaration)
    p.implements(IXloader, inherit=True)

    # IConfigDeclaration
    def declare_config_options(self, declaration: Any, key: Any) -> None:
        path = Path(__file__).with_name("config_declaration.yaml")
        declaration.load_dict(yaml.safe_load(path.read_text(encoding="utf-8")))

    # IHarvester
    def info(self) -> dict[str, str]:
        return {
            "name": SOURCE_TYPE,
            "title": "GUS Bank Danych Lokalnych (BDL)",
            # both languages at once, like every message of this harvester
            "description": (
                "Statystyki miasta i jednostek porównawczych z Banku Danych Lokalnych "
                "GUS (API BDL), jeden zbiór na temat. / Statistics for the city and "
                "comparison units from the Local Data Bank of Statistics Poland (GUS BDL "
                "API), one dataset per topic."
            ),
        }

    def validate_config(self, config: str | None) -> str:
        try:
            source_config.parse(config)
        except source_config.ConfigError as error:
            raise ValueError(str(error)) from None
        return config or ""

    def get_original_url(self, harvest_object_id: str) -> str | None:
        obj = model.Session.get(HarvestObject, harvest_object_id)
        content = bookkeeping.load(obj)
        variables = (content.get("topic") or {}).get("variables") or []
        return mapping.BDL_VARIABLE_URL.format(id=variables[0]["id"]) if variables else None

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        source = harvest_job.source
        try:
            config = source_config.parse(source.config)
        except source_config.ConfigError as error:
            self._save_gather_error(str(error), harvest_job)
            return []
        client = make_client(source.url, config.lang)
        try:
            topics = collect.build_topics(config, client)
        except BdlError as error:
            self._save_gather_error(
                f"Nie udało się odczytać metadanych BDL: {error} / "
                f"Could not read the BDL metadata: {error}",
                harvest_job,
            )
            return []
        guids = {topic.guid for topic in topics}
        previous = bookkeeping.latest_with_data(source.id, guids)
        config_digest = mapping.digest(config.to_json(), [t.to_json() for t in topics])
        marker = _change_marker(client) if previous else None  # a first read needs none
        common = {"marker": marker, "config": config_digest, "publish": config.publish}
        if nothing_changed(previous, topics, marker, config_digest, config.full_refresh_days):
            ids = [self._object(harvest_job, t.guid, {**common, "unchanged": True}) for t in topics]
            log.info("BDL unchanged since the last harvest (%s requests)", client.stats.requests)
            return ids
        plan = collect.request_plan(topics, config)
        fetched = collect.fetch(plan, client)
        ids = []
        for topic in topics:
            content = {**common, "topic": topic.to_json(), "fetched_at": _now()}
            content.update(_topic_content(topic, fetched, config, previous.get(topic.guid)))
            ids.append(self._object(harvest_job, topic.guid, content))
        log.info(
            "BDL harvest of %s: %s topics, %s requests (minimum %s), %s throttled, quota waits %s",
            source.url,
            len(topics),
            client.stats.requests,
            collect.minimum_requests(plan, client.batch_size) + (1 if previous else 0),
            client.stats.throttled,
            client.limiter.waited or "none",
        )
        return ids

    def _object(self, job: HarvestJob, guid: str, content: dict[str, Any]) -> str:
        obj = HarvestObject(guid=guid, job=job, content=json.dumps(content, ensure_ascii=False))
        obj.save()
        return obj.id

    def fetch_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = bookkeeping.load(harvest_object)
        if content.get("unchanged"):
            return "unchanged"
        title = ((content.get("topic") or {}).get("title") or {}).get("pl", harvest_object.guid)
        if content.get("error") or not content.get("digest"):
            self._save_object_error(
                f"{title}: {content.get('error') or 'brak danych / no data'} "
                "Opublikowane dane pozostają bez zmian. / Published data stay unchanged.",
                harvest_object,
                "Fetch",
            )
            return False
        before = bookkeeping.load(
            bookkeeping.current(harvest_object.source.id, harvest_object.guid, harvest_object.id)
        )
        if before.get("digest") == content["digest"]:
            return "unchanged"
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        content = bookkeeping.load(harvest_object)
        if not content.get("digest"):
            self._save_object_error("Brak treści / no content", harvest_object, "Import")
            return False
        source_id = harvest_object.source.id
        previous_obj = bookkeeping.current(source_id, harvest_object.guid, harvest_object.id)
        try:
            dataset = self._save_dataset(harvest_object, content, previous_obj)
        except (tk.ValidationError, tk.ObjectNotFound) as error:
            details = getattr(error, "error_dict", None) or str(error)
            self._save_object_error(
                f"Zbioru nie zapisano / the dataset was not saved: {details}",
                harvest_object,
                "Import",
            )
            return False
        except Exception as error:  # the fetch consumer must outlive one dataset
            model.Session.rollback()
            log.exception("BDL import of %s failed", harvest_object.guid)
            self._save_object_error(
                f"Zbioru nie zapisano (błąd wewnętrzny) / the dataset was not saved "
                f"(internal error): {error!r:.300}",
                harvest_object,
                "Import",
            )
            return False
        bookkeeping.make_current(harvest_object, dataset["id"])
        model.Session.commit()
        return True

    # --- import helpers -------------------------------------------------------

    def _context(self) -> dict[str, Any]:
        return {"user": _harvest_user(), "ignore_auth": True}

    def _existing(self, topic: mapping.Topic, previous_obj: HarvestObject | None) -> dict | None:
        for ref in (previous_obj.package_id if previous_obj else None, FILE_PREFIX + topic.key):
            if not ref:
                continue
            try:
                found = tk.get_action("package_show")(self._context(), {"id": ref})
            except tk.ObjectNotFound:
                continue
            if found.get("state") == "active":
                return found
        return None

    def _save_dataset(
        self, harvest_object: HarvestObject, content: dict[str, Any], previous_obj
    ) -> dict[str, Any]:
        topic = mapping.Topic.from_catalogue(content["topic"])
        rows = mapping.rows_from_json(content["rows"])
        updated = {int(k): v for k, v in (content.get("updated") or {}).items()}
        owner_org = model.Package.get(harvest_object.source.id).owner_org
        dataset = mapping.dataset_dict(
            topic,
            rows,
            updated,
            owner_org,
            tk.config.get("ckanext.bdom.teryt") or "2474011",
            content.get("discontinued") or [],
            content.get("notice") or "",
        )
        existing = self._existing(topic, previous_obj)
        if existing:
            dataset.update(id=existing["id"], name=existing["name"])
            dataset["resources"] = existing["resources"]
            saved = tk.get_action("package_update")(self._context(), dataset)
        else:
            dataset["name"] = FILE_PREFIX + topic.key
            saved = tk.get_action("package_create")(self._context(), dataset)
        old_rows = mapping.rows_from_json(bookkeeping.load(previous_obj).get("rows") or [])
        note = _change_note(old_rows, rows) if existing else ""
        self._store_csv(saved, topic, rows, updated, note)
        if not existing and content.get("publish"):
            from ckanext.bdom.workflow.transitions import bring_to

            bring_to(self._context(), saved["id"], "published", PUBLISH_COMMENT)
        return saved

    def _store_csv(self, dataset, topic, rows, updated, note: str) -> None:
        filename = f"{FILE_PREFIX}{topic.key}.csv"
        payload = mapping.rows_to_csv(mapping.sort_rows(rows))
        resource = {
            **mapping.resource_dict(topic, rows, updated, note),
            "package_id": dataset["id"],
            "url": filename,
            "url_type": "upload",
            "upload": FileStorage(io.BytesIO(payload), filename=filename, content_type="text/csv"),
        }
        current = next(
            (r for r in dataset.get("resources") or [] if _filename(r) == filename), None
        )
        if current:
            tk.get_action("resource_update")(self._context(), {**resource, "id": current["id"]})
            return
        created = tk.get_action("resource_create")(self._context(), resource)
        # the table with declared types first, then xloader fills it
        tk.get_action("datastore_create")(
            self._context(),
            {
                "resource_id": created["id"],
                "force": True,
                "fields": [
                    {"id": name, "type": kind, "info": {"type_override": kind, "label": name}}
                    for name, kind in mapping.COLUMN_TYPES.items()
                ],
            },
        )
        try:
            tk.get_action("xloader_submit")(self._context(), {"resource_id": created["id"]})
        except tk.ValidationError as error:
            log.warning("xloader cannot load %s: %s", created["id"], error.error_dict)

    # IXloader: a new BDL CSV waits for its typed table (see _store_csv)
    def can_upload(self, resource_id: str) -> bool:
        resource = model.Resource.get(resource_id)
        if resource is None or not (resource.url or "").startswith(FILE_PREFIX):
            return True
        try:
            tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource_id})
        except tk.ObjectNotFound:
            return False
        return True


def _filename(resource: dict[str, Any]) -> str:
    return (resource.get("url") or "").rsplit("/", 1)[-1]


def _change_note(old_rows, new_rows) -> str:
    lines = mapping.changes(old_rows, new_rows)
    if not lines:
        return ""
    shown = "; ".join(lines[:20]) + (f"; … (+{len(lines) - 20})" if len(lines) > 20 else "")
    return f"Zmiany z {dt.date.today().isoformat()} / changes: {shown}"


def _topic_content(
    topic: mapping.Topic,
    fetched: collect.Fetched,
    config: source_config.SourceConfig,
    previous: dict[str, Any] | None,
) -> dict[str, Any]:
    """The harvest object content of one topic: rows and digest, or an error."""
    try:
        data = collect.topic_data(topic, fetched, config)
    except (BdlError, mapping.MalformedPayloadError) as error:
        return {"error": str(error)}
    rows = data.rows
    if data.missing:
        kept = [
            row
            for row in mapping.rows_from_json((previous or {}).get("rows") or [])
            if row["variable_id"] in data.missing
        ]
        rows = rows + kept
        if len(data.missing) == len(topic.variables) and not kept:
            return {
                "error": "BDL nie zwrócił żadnej zmiennej tematu. / "
                "BDL returned none of the topic's variables."
            }
    rows_json = mapping.rows_to_json(mapping.sort_rows(rows))
    return {
        "rows": rows_json,
        "updated": {str(k): v for k, v in data.updated.items()},
        "discontinued": data.missing,
        "notice": config.notice,
        "digest": mapping.digest(rows_json, topic.to_json(), data.missing, config.notice),
    }
