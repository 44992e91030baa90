"""Factories for BDoM objects, on top of CKAN's own."""

from __future__ import annotations

import factory

from ckan.tests import factories

ANNUAL = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
SOCI = "http://publications.europa.eu/resource/authority/data-theme/SOCI"


class Steward(factories.Organization):
    """A data steward (gestor danych)."""

    title = factory.Sequence(lambda n: f"Wydział testowy nr {n}")
    bdom_steward_type = "department"


class BdomDataset(factories.Dataset):
    """A dataset that satisfies the BDoM schema."""

    title = factory.Sequence(lambda n: f"Ludność miasta {n}")
    notes = "Liczba mieszkańców według lat."
    tag_string = "ludność,demografia"
    frequency = ANNUAL
    theme = [SOCI]
    license_id = "cc-by"
    owner_org = factory.LazyFunction(lambda: Steward()["id"])
