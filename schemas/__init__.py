"""Scheming schemas of ckanext-bdom, shipped as ``ckanext.bdom.schemas``.

Reference them in the CKAN config as ``ckanext.bdom.schemas:<file>``.
"""
