"""Factories for BDoM objects, on top of CKAN's own."""

from __future__ import annotations

import factory

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

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

    @classmethod
    def _api_postprocess_result(cls, result):
        return publish(result)


# bdom_workflow: every new dataset is a private draft. BdomDataset publishes what
# it creates (the suite's other tests want public datasets); DraftDataset
# leaves the draft for the workflow's own tests.
WORKFLOW_TO_PUBLISHED = ("submit", "verify", "publish")


def publish(dataset: dict) -> dict:
    """Submit, verify and publish ``dataset`` as the site user (a sysadmin)."""
    try:
        tk.get_action("bdom_dataset_transition")
    except KeyError:  # bdom_workflow is not loaded
        return dataset
    site_user = helpers.call_action("get_site_user")["name"]
    for transition in WORKFLOW_TO_PUBLISHED:
        dataset = helpers.call_action(
            "bdom_dataset_transition", {"user": site_user}, id=dataset["id"], transition=transition
        )
    return dataset


class DraftDataset(BdomDataset):
    """A BDoM dataset as the workflow creates it: a private draft."""

    @classmethod
    def _api_postprocess_result(cls, result):
        return result
