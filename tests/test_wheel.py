"""A plain, non-editable install of the built wheel gives a working plugin."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHECK = textwrap.dedent(
    """
    import json, sys
    from importlib import resources
    import ckan.plugins as p
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(sys.argv[1]))
    import ckanext.bdom.harvesters, ckanext.bdom.plugin, ckanext.bdom.schemas
    with app._wsgi_app.test_request_context():
        schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})
        org = tk.get_action("scheming_organization_schema_show")({}, {"type": "organization"})
    bdom = resources.files("ckanext.bdom")
    print(json.dumps({
        "loaded": p.plugin_loaded("bdom"),
        "modules": [m.__file__ for m in (ckanext.bdom.plugin, ckanext.bdom.schemas,
                                         ckanext.bdom.harvesters)],
        "dataset_fields": [f["field_name"] for f in schema["dataset_fields"]],
        "org_fields": [f["field_name"] for f in org["fields"]],
        "catalogues": sorted(str(x.name) for x in (bdom / "i18n").iterdir()),
        "pl_mo": (bdom / "i18n/pl/LC_MESSAGES/ckanext-bdom.mo").is_file(),
        "template": (bdom / "templates/home/index.html").is_file(),
    }))
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("ckanext_bdom-*.whl")
    return built


def test_wheel_ships_schemas_harvesters_templates_and_catalogues(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ckanext/bdom/schemas/__init__.py",
        "ckanext/bdom/schemas/bdom_dataset.yaml",
        "ckanext/bdom/schemas/bdom_organization.yaml",
        "ckanext/bdom/schemas/presets.yaml",
        "ckanext/bdom/harvesters/__init__.py",
        "ckanext/bdom/harvesters/bdl/harvester.py",
        "ckanext/bdom/harvesters/bdl/default_set.json",
        "ckanext/bdom/harvesters/bdl/config_declaration.yaml",
        "ckanext/bdom/harvesters/bdl/fixtures/bdl_demo.json",
        "ckanext/bdom/config_declaration.yaml",
        "ckanext/bdom/indicators/catalogue.yaml",
        "ckanext/bdom/indicators/config_declaration.yaml",
        "ckanext/bdom/schedule/config_declaration.yaml",
        "ckanext/bdom/stats/config_declaration.yaml",
        "ckanext/bdom/migration/bdom_schedule/alembic.ini",
        "ckanext/bdom/migration/bdom_schedule/env.py",
        "ckanext/bdom/migration/bdom_schedule/versions/3b1f0c2a9d47_create_the_reminder_log.py",
        "ckanext/bdom/templates/bdom/schedule/index.html",
        "ckanext/bdom/templates/bdom/indicators/indicator.html",
        "ckanext/bdom/templates/home/index.html",
        "ckanext/bdom/i18n/pl/LC_MESSAGES/ckanext-bdom.mo",
        "ckanext/bdom/i18n/en/LC_MESSAGES/ckanext-bdom.mo",
        "ckanext/bdom/assets/webassets.yml",
    ):
        assert expected in names, expected
    assert not any(name.startswith(("tests/", "schemas/", "harvesters/")) for name in names)


def test_wheel_installed_in_a_fresh_venv_loads_with_its_schemas(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(REPO / "requirements.txt"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    result = subprocess.run(
        [str(python), "-c", CHECK, str(REPO / "test.ini")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["loaded"]
    assert all(str(env_dir) in module for module in report["modules"]), report["modules"]
    assert {"title", "tag_string", "frequency", "theme", "owner_org"} <= set(
        report["dataset_fields"]
    )
    assert "bdom_steward_type" in report["org_fields"]
    assert report["catalogues"] == ["ckanext-bdom.pot", "en", "pl"]
    assert report["pl_mo"]
    assert report["template"]

    cli = subprocess.run(
        [str(env_dir / "bin" / "ckan"), "-c", str(REPO / "test.ini"), "bdom", "--help"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert cli.returncode == 0, cli.stderr[-3000:]
    assert "demo" in cli.stdout
    assert "sysadmin" in cli.stdout
