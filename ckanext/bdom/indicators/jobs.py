"""Recompute the indicators: on demand and in a debounced background job.

A change of a source dataset records the time of the change in Redis and
queues one job (a Redis flag keeps it to one waiting at a time). The job
waits until no source has changed for ``quiet_seconds``, so a harvest of
many datasets is computed once, then computes every indicator and writes
the results dataset. A change while the job computes queues the next one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.bdom.indicators import config, sources, store
from ckanext.bdom.indicators.compute import Results, compute_all

log = logging.getLogger(__name__)
MAX_WAIT_S = 600


def _key(name: str) -> str:
    return f"bdom:indicators:{tk.config['ckan.site_id']}:{name}"


def recompute(progress: Callable[[dict[str, Any]], None] | None = None) -> Results:
    """Compute every indicator from published data and store the results; one
    computation at a time (the command and the job share a Redis lock)."""
    catalogue = config.indicator_catalogue()
    with connect_to_redis().lock(_key("lock"), timeout=MAX_WAIT_S, blocking_timeout=MAX_WAIT_S):
        inputs = sources.gather(catalogue)
        results = compute_all(catalogue.indicators, inputs, progress)
        store.save(catalogue, results)
    for ident, error in results.errors.items():
        log.warning("ISO 37120 indicator %s not computed: %s", ident, error)
    return results


def schedule() -> bool:
    """Note a source change and queue a recompute job unless one is waiting."""
    if not config.auto_recompute():
        return False
    redis = connect_to_redis()
    redis.set(_key("changed"), str(time.time()), ex=MAX_WAIT_S + 600)
    if not redis.set(_key("pending"), "1", nx=True, ex=MAX_WAIT_S + 600):
        return False
    tk.enqueue_job(bdom_indicators_recompute, title="BDoM: recompute ISO 37120 indicators")
    return True


def _wait_until_quiet() -> None:
    redis = connect_to_redis()
    started = time.monotonic()
    while time.monotonic() - started < MAX_WAIT_S:
        changed = float(redis.get(_key("changed")) or 0)
        quiet = time.time() - changed
        if quiet >= config.quiet_seconds():
            return
        time.sleep(min(1.0, config.quiet_seconds() - quiet))


def bdom_indicators_recompute() -> int:
    """The background job; the number of values written."""
    _wait_until_quiet()
    connect_to_redis().delete(_key("pending"))
    try:
        results = recompute()
    except tk.ValidationError as error:
        log.error("ISO 37120 indicators not stored: %s", error.error_dict)
        return 0
    log.info("ISO 37120 indicators recomputed: %s values", len(results.rows))
    return len(results.rows)
