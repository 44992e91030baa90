"""Fixes, on our side, for upstream extensions that misbehave on CKAN 2.12."""
