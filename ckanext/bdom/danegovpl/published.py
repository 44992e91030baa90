"""Which datasets the dane.gov.pl routes may show: the public ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

PAGE = 1000


def is_published(dataset: dict[str, Any]) -> bool:
    """Public and active. Under the workflow a dataset is public once
    published, and stays so while an update of it is under review (the
    published version is what the public sees meanwhile)."""
    return not dataset.get("private") and dataset.get("state", "active") == "active"


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
