"""What earlier harvests of a ``bdl`` source left: contents and packages by guid.

Every harvest object's content is the JSON the gather stage wrote for one
topic. Objects that carried data (not errors, not "unchanged" markers) hold a
``digest``; the newest of them per guid tells whether anything moved, the
*current* one (last imported) which package it feeds and what it published.
"""

from __future__ import annotations

import json
from typing import Any

from ckan import model

from ckanext.harvest.model import HarvestObject

DIGEST_MARK = '"digest"'


def load(obj: HarvestObject | None) -> dict[str, Any]:
    if obj is None or not obj.content:
        return {}
    try:
        content = json.loads(obj.content)
    except ValueError:
        return {}
    return content if isinstance(content, dict) else {}


def latest_with_data(source_id: str, guids: set[str]) -> dict[str, dict[str, Any]]:
    """guid → content of the newest object that carried data for it."""
    found: dict[str, dict[str, Any]] = {}
    query = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.guid.in_(guids))
        .filter(HarvestObject.content.like(f"%{DIGEST_MARK}%"))
        .order_by(HarvestObject.gathered.desc())
    )
    for obj in query.yield_per(20):
        if obj.guid not in found:
            content = load(obj)
            if content.get("digest"):
                found[obj.guid] = content
        if len(found) == len(guids):
            break
    return found


def current(source_id: str, guid: str, exclude: str | None = None) -> HarvestObject | None:
    """The object last imported for ``guid`` (its package is the dataset)."""
    query = (
        model.Session.query(HarvestObject)
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.guid == guid)
        .filter(HarvestObject.current.is_(True))
    )
    if exclude:
        query = query.filter(HarvestObject.id != exclude)
    return query.order_by(HarvestObject.import_finished.desc()).first()


def make_current(obj: HarvestObject, package_id: str) -> None:
    """Only ``obj`` is current for its package from now on."""
    model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id).filter(
        HarvestObject.id != obj.id
    ).update({"current": False}, synchronize_session=False)
    obj.package_id = package_id
    obj.current = True
    obj.save()
