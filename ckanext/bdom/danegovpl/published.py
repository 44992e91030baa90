"""Which datasets the dane.gov.pl routes may show: published ones only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

PUBLISHED = "published"
PAGE = 1000


def is_published(dataset: dict[str, Any]) -> bool:
    """Public, active and, under the workflow, in the ``published`` state.

    Without ``bdom_workflow`` a dataset has no ``bdom_status``; it is then
    published when it is public.
    """
    return (
        not dataset.get("private")
        and dataset.get("state", "active") == "active"
        and dataset.get("bdom_status", PUBLISHED) == PUBLISHED
    )


def published_datasets() -> Iterator[dict[str, Any]]:
    """Every published dataset, as an anonymous visitor's ``package_search``
    gives it, oldest first (stable order while paging)."""
    search = tk.get_action("package_search")
    start = 0
    while True:
        result = search(
            {"ignore_auth": True},
            {
                "q": "*:*",
                "fq": "+dataset_type:dataset",
                "rows": PAGE,
                "start": start,
                "sort": "metadata_created asc, id asc",
                "include_private": False,
            },
        )
        for dataset in result["results"]:
            if is_published(dataset):
                yield dataset
        start += PAGE
        if start >= result["count"] or not result["results"]:
            return
