"""Build-time check of the image: every plugin named in ckan.ini can be loaded.

    python3 check_plugins.py /srv/app/ckan.ini

The official CKAN image installs CKAN itself in editable mode, and extensions
installed next to it share the ``ckanext`` namespace package; a packaging
mistake there only shows up as "PluginNotFoundException" or "No module named
ckanext.x" when the container starts. This script fails the build instead. It
also checks that the scheming schema and preset files named in the ini exist.
It reads the ini without interpolation, so no environment is needed.
"""

from __future__ import annotations

import configparser
import sys
from importlib import import_module, resources
from importlib.metadata import entry_points


def resource_exists(spec: str) -> bool:
    """True if "package.module:file" (scheming's notation) names a file."""
    package, _, name = spec.partition(":")
    try:
        return (resources.files(package) / name).is_file()
    except ModuleNotFoundError:
        return False


def main(ini: str) -> int:
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # keep the case of keys
    with open(ini, encoding="utf-8") as fp:
        parser.read_file(fp)
    app = parser["app:main"]

    errors = []
    available = {ep.name: ep for ep in entry_points(group="ckan.plugins")}
    for name in app.get("ckan.plugins", "").split():
        if name not in available:
            errors.append(f"plugin {name!r} is not installed")
            continue
        try:
            available[name].load()
        except Exception as error:  # noqa: BLE001 - report every failure
            errors.append(f"plugin {name!r} does not load: {error!r}")

    for key in ("scheming.dataset_schemas", "scheming.organization_schemas", "scheming.presets"):
        for spec in app.get(key, "").split():
            if ":" in spec and not resource_exists(spec):
                errors.append(f"{key}: {spec} not found in the installed packages")

    import_module("ckanext.bdom")
    if not (resources.files("ckanext.bdom") / "config_declaration.yaml").is_file():
        errors.append("ckanext/bdom/config_declaration.yaml is missing from the package")

    for error in errors:
        print(f"check_plugins: {error}", file=sys.stderr)
    if not errors:
        print(f"check_plugins: {len(app.get('ckan.plugins', '').split())} plugins load")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/srv/app/ckan.ini"))
