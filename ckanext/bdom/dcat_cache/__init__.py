"""Caching of DCAT output until the catalogue changes."""
