"""ckanext-bdom: Bank Danych o Mieście (City Data Bank) plugins for CKAN."""
