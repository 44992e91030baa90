"""Ready-to-run API examples for a dataset page: ``curl`` and Python.

A resource loaded into the DataStore is queried with ``datastore_search``;
otherwise the dataset's metadata (with its download links) come from
``package_show``. Addresses use the portal's real site URL and ids.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

PYTHON_DATASTORE = """import json
import urllib.request

url = "{url}"
with urllib.request.urlopen(url) as response:
    result = json.load(response)["result"]
for record in result["records"]:
    print(record)
"""

PYTHON_PACKAGE = """import json
import urllib.request

url = "{url}"
with urllib.request.urlopen(url) as response:
    dataset = json.load(response)["result"]
for resource in dataset["resources"]:
    print(resource["name"], resource["format"], resource["url"])
"""


def _api(action: str, **params: Any) -> str:
    site = tk.config["ckan.site_url"].rstrip("/")
    return f"{site}/api/3/action/{action}?{urlencode(params)}"


def examples(pkg: dict[str, Any]) -> dict[str, Any]:
    """``{"kind", "resource", "url", "curl", "python"}`` for the dataset."""
    in_datastore = [r for r in pkg.get("resources") or [] if r.get("datastore_active")]
    if in_datastore:
        resource = in_datastore[0]
        url = _api("datastore_search", resource_id=resource["id"], limit=5)
        python = PYTHON_DATASTORE.format(url=url)
        kind = "datastore_search"
    else:
        resource = None
        url = _api("package_show", id=pkg["name"])
        python = PYTHON_PACKAGE.format(url=url)
        kind = "package_show"
    return {
        "kind": kind,
        "resource": {"id": resource["id"], "name": resource.get("name") or resource["id"]}
        if resource
        else None,
        "url": url,
        "curl": f'curl "{url}"',
        "python": python,
    }
