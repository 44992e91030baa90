"""Demo content: stewards and datasets described in a YAML file."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.bdom.promo import demo as promo_demo


@dataclass(frozen=True)
class Step:
    kind: str  # "organization", "dataset", "user", "news" or "featured"
    data: dict[str, Any]
    base_dir: Path


@dataclass
class DemoContent:
    base_dir: Path
    organizations: list[dict[str, Any]] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    news: list[dict[str, Any]] = field(default_factory=list)
    featured: list[dict[str, Any]] = field(default_factory=list)

    def steps(self) -> list[Step]:
        orgs = [Step("organization", org, self.base_dir) for org in self.organizations]
        dsets = [Step("dataset", ds, self.base_dir) for ds in self.datasets]
        people = [Step("user", user, self.base_dir) for user in self.users]
        news = [Step("news", item, self.base_dir) for item in self.news]
        featured = [Step("featured", item, self.base_dir) for item in self.featured]
        return orgs + dsets + people + news + featured


def read_demo(path: str | Path) -> DemoContent:
    path = Path(path)
    with path.open(encoding="utf-8") as stream:
        raw = yaml.safe_load(stream) or {}
    return DemoContent(
        base_dir=path.parent,
        organizations=list(raw.get("organizations", [])),
        datasets=list(raw.get("datasets", [])),
        users=list(raw.get("users", [])),
        news=list(raw.get("news", [])),
        featured=list(raw.get("featured", [])),
    )


def site_context() -> dict[str, Any]:
    """A context acting as the site user, with authorization checks off."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)(site_context(), {"id": name})
    except tk.ObjectNotFound:
        return False
    return True


def apply_step(step: Step) -> bool:
    """Create what the step describes unless it exists. True when created."""
    if step.kind in promo_demo.KINDS:
        return promo_demo.apply(step.kind, step.data, site_context(), step.base_dir)
    if step.kind == "user":
        return _ensure_user(step.data)
    name = step.data["name"]
    if step.kind == "organization":
        if _exists("organization_show", name):
            return False
        tk.get_action("organization_create")(site_context(), dict(step.data))
        return True
    if _exists("package_show", name):
        return False
    _create_dataset(step.data, step.base_dir)
    return True


_USER_LOADER_KEYS = ("roles", "steward", "capacity")


def _ensure_user(data: dict[str, Any]) -> bool:
    """Create the demo account unless it exists; give it its BDoM roles and
    make it a member (``capacity``, default editor: a coordinator) of its
    ``steward``."""
    created = not _exists("user_show", data["name"])
    if created:
        fields = {key: value for key, value in data.items() if key not in _USER_LOADER_KEYS}
        tk.get_action("user_create")(site_context(), fields)
    if data.get("steward"):
        tk.get_action("organization_member_create")(
            site_context(),
            {
                "id": data["steward"],
                "username": data["name"],
                "role": data.get("capacity", "editor"),
            },
        )
    if data.get("roles") and p.plugin_loaded("bdom_workflow"):
        tk.get_action("bdom_user_roles_set")(
            site_context(), {"id": data["name"], "roles": data["roles"]}
        )
    return created


_LOADER_KEYS = ("resources", "workflow_state")


def _create_dataset(data: dict[str, Any], base_dir: Path) -> None:
    """Create the dataset, upload its files, then take it through the workflow
    to ``workflow_state`` (default: published)."""
    dataset = {key: value for key, value in data.items() if key not in _LOADER_KEYS}
    package = tk.get_action("package_create")(site_context(), dataset)
    for resource in data.get("resources", []):
        tk.get_action("resource_create")(
            site_context(), _resource_dict(resource, package["id"], base_dir)
        )
    if p.plugin_loaded("bdom_workflow"):
        from ckanext.bdom.workflow.transitions import bring_to

        comment = "Dane demonstracyjne: uzupełnij opis. / Demo data: complete the description."
        bring_to(site_context(), package["id"], data.get("workflow_state", "published"), comment)


def _resource_dict(resource: dict[str, Any], package_id: str, base_dir: Path) -> dict[str, Any]:
    result = {key: value for key, value in resource.items() if key != "file"}
    result["package_id"] = package_id
    file_name = resource.get("file")
    if file_name:
        content = (base_dir / file_name).read_bytes()
        result["upload"] = FileStorage(io.BytesIO(content), file_name, "upload")
        result["url"] = file_name
    return result
