"""A small Redis cache whose keys carry the catalogue's version.

The version is the number of public datasets and the newest
``metadata_modified`` among them: creating, editing, publishing or deleting a
dataset changes it, so a cached rendering is never served after the catalogue
changed. Old entries simply expire.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import cache
from typing import Any

import redis

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)
PREFIX = "bdom:dcat-cache:"


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def client() -> redis.Redis:
    return _client(tk.config["ckan.redis.url"])


def ttl() -> int:
    return tk.config["ckanext.bdom.dcat_cache.ttl"]


def _newest_public() -> tuple[int, str]:
    """How many public datasets there are, and the newest ``metadata_modified``."""
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"q": "*:*", "rows": 1, "sort": "metadata_modified desc", "fl": "metadata_modified"},
    )
    newest = result["results"][0]["metadata_modified"] if result["results"] else ""
    return result["count"], newest


def catalogue_version() -> str:
    count, newest = _newest_public()
    return f"{count}:{newest}"


def public_dataset_count() -> int:
    return _newest_public()[0]


def key(kind: str, *parts: Any) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"{PREFIX}{tk.config['ckan.site_id']}:{kind}:{digest}"


def cached(cache_key: str, produce: Callable[[], str]) -> str:
    """The value under ``cache_key``, produced and stored when missing."""
    if ttl() <= 0:
        return produce()
    redis_client = client()
    try:
        hit = redis_client.get(cache_key)
    except redis.RedisError as error:
        log.warning("DCAT cache unavailable, serving uncached: %s", error)
        return produce()
    if hit is not None:
        return hit.decode("utf-8")
    value = produce()
    try:
        redis_client.set(cache_key, value.encode("utf-8"), ex=ttl())
    except redis.RedisError as error:
        log.warning("DCAT cache unavailable, not stored: %s", error)
    return value
