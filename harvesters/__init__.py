"""Harvesters of ckanext-bdom, shipped as ``ckanext.bdom.harvesters``."""
