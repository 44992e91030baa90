"""dane.gov.pl: the routes by which the national portal harvests us.

The DCAT-AP profile ``bdom_dcat_ap_pl`` (``profile.py``), the SPARQL endpoint
over the public DCAT graph (``sparql.py``, ``graph.py``), the dane.gov.pl XML
export (``xml_export.py``) and the officer's page (``views.py``), wired by the
``bdom_danegovpl`` plugin (``plugin.py``).
"""
