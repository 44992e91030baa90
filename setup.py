"""Packaging for ckanext-bdom.

``schemas/`` and ``harvesters/`` live at the top level of the repository (the
agreed layout) and are mapped into the ``ckanext.bdom`` package, so a plain
``pip install .`` ships them as ``ckanext.bdom.schemas`` and
``ckanext.bdom.harvesters``.
"""

from setuptools import find_namespace_packages, setup

PACKAGE_DIR = {
    "": ".",
    "ckanext.bdom.schemas": "schemas",
    "ckanext.bdom.harvesters": "harvesters",
}

PACKAGES = sorted(
    {
        *find_namespace_packages(
            include=["ckanext", "ckanext.*"],
            exclude=["*.__pycache__", "ckanext.bdom.i18n*", "ckanext.bdom.templates*",
                     "ckanext.bdom.public*", "ckanext.bdom.assets*",
                     "ckanext.bdom.demo*"],
        ),
        "ckanext.bdom.schemas",
        "ckanext.bdom.harvesters",
        "ckanext.bdom.harvesters.bdl",
    }
)

setup(
    name="ckanext-bdom",
    version="0.1.0",
    description="Bank Danych o Mieście: a city data bank on CKAN 2.12",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir=PACKAGE_DIR,
    packages=PACKAGES,
    include_package_data=True,
    package_data={
        "ckanext.bdom": [
            "config_declaration.yaml",
            "templates/**/*.html",
            "i18n/*.pot",
            "i18n/*/LC_MESSAGES/*.po",
            "i18n/*/LC_MESSAGES/*.mo",
            "public/**/*",
            "assets/**/*",
            "demo/*.yaml",
            "demo/*.csv",
            "demo/*.png",
            "migration/*/alembic.ini",
            "migration/*/script.py.mako",
        ],
        "ckanext.bdom.promo": ["*.yaml"],
        "ckanext.bdom.schedule": ["*.yaml"],
        "ckanext.bdom.stats": ["*.yaml"],
        "ckanext.bdom.danegovpl": ["*.yaml"],
        "ckanext.bdom.indicators": ["*.yaml"],
        "ckanext.bdom.schemas": ["*.yaml", "*.json"],
        "ckanext.bdom.harvesters": ["*.yaml", "*.json"],
        "ckanext.bdom.harvesters.bdl": ["*.json", "*.yaml", "fixtures/*.json"],
    },
    zip_safe=False,
    install_requires=[
        # CKAN's own pinned requirements come with the extra (the bare ckan
        # wheel does not even pull in Flask).
        "ckan[requirements]>=2.12,<2.13",
        "ckanext-scheming>=3.1,<4",
        "ckanext-harvest>=1.6.3,<2",
        "ckanext-dcat>=2.4,<3",
        "ckanext-xloader>=2.5,<2.6",
        # imported by ckanext-xloader 2.5.2 but not declared by it
        "chardet",
        "tabulator",
        "Unidecode",
        "requests>=2.32",
        "pandas>=2.2",
        # the ISO 37120 yearly report as XLSX
        "openpyxl>=3.1",
        "pyyaml>=6",
    ],
    entry_points={
        "ckan.plugins": [
            "bdom = ckanext.bdom.plugin:BdomPlugin",
            "bdom_compat = ckanext.bdom.compat.plugin:BdomCompatPlugin",
            "bdom_dcat_rdf_harvester = ckanext.bdom.compat.dcat_harvester:BdomDcatRdfHarvester",
            "bdom_dcat_cache = ckanext.bdom.dcat_cache.plugin:BdomDcatCachePlugin",
            "bdom_workflow = ckanext.bdom.workflow.plugin:BdomWorkflowPlugin",
            "bdom_collect = ckanext.bdom.collect.plugin:BdomCollectPlugin",
            "bdom_bdl = ckanext.bdom.harvesters.bdl.harvester:BdlHarvester",
            "bdom_promo = ckanext.bdom.promo.plugin:BdomPromoPlugin",
            "bdom_schedule = ckanext.bdom.schedule.plugin:BdomSchedulePlugin",
            "bdom_stats = ckanext.bdom.stats.plugin:BdomStatsPlugin",
            "bdom_tracking = ckanext.bdom.stats.tracking:BdomTrackingPlugin",
            "bdom_indicators = ckanext.bdom.indicators.plugin:BdomIndicatorsPlugin",
            "bdom_danegovpl = ckanext.bdom.danegovpl.plugin:BdomDanegovplPlugin",
        ],
        "ckan.rdf.profiles": [
            "bdom_dcat_ap_pl = ckanext.bdom.danegovpl.profile:BdomDCATAPPLProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
        "schemas": [("**.py", "python", None)],
        "harvesters": [("**.py", "python", None)],
    },
)
