"""Keeping the tracking summary up to date: CKAN's ``tracking`` plugin counts
raw hits; ``ckan tracking update`` sums them per day. A visit to the
statistics page queues that update as a background job, at most once per
``ckanext.bdom.stats.update_every`` seconds (a Redis key guards it)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.tracking.cli.tracking import update_all
from ckanext.tracking.model import TrackingRaw, TrackingSummary

from ckanext.bdom.stats import config

log = logging.getLogger(__name__)


def _guard_key() -> str:
    return f"bdom:stats:{tk.config['ckan.site_id']}:summary-queued"


def _start_date() -> str | None:
    """Where the update starts: tracking's own rule (two days before its last
    summary) once there is a summary; before that, the day of the first hit,
    not tracking's 2011-01-01 (one pass per day since then takes minutes)."""
    if model.Session.query(TrackingSummary.url).first() is not None:
        return None
    first = model.Session.query(func.min(TrackingRaw.access_timestamp)).scalar()
    return (first or dt.datetime.now()).date().isoformat()


def bdom_stats_update_summary() -> None:
    """The job: tracking's own daily summary (and the views in the search index)."""
    update_all(_start_date())
    log.info("Tracking summary updated")


def queue_update() -> bool:
    """Queue the summary update unless one was queued within the interval."""
    every = config.update_every()
    if not every:
        return False
    from ckan.lib.redis import connect_to_redis

    if not connect_to_redis().set(_guard_key(), "1", nx=True, ex=every):
        return False
    tk.enqueue_job(bdom_stats_update_summary, title="bdom_stats: tracking summary")
    return True
