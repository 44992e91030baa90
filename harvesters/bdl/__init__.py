"""GUS Bank Danych Lokalnych (BDL) harvester.

``client`` talks to the BDL REST API (no CKAN imports), ``mapping`` turns its
JSON into tidy rows, CSV and BDoM dataset dicts (pure functions), ``catalogue``
holds the curated default set of topics, ``harvester`` is the ckanext-harvest
plugin ``bdom_bdl`` (source type ``bdl``) and ``fixture_server`` a local
BDL-compatible server with demonstration data and switchable faults.
"""
