"""The conditions of re-use of a dataset, in plain words for residents.

The open data act (ustawa z 11 sierpnia 2021 r. o otwartych danych
i ponownym wykorzystywaniu informacji sektora publicznego, art. 34) lets a
provider set conditions: state the source, say that the data were modified,
the provider's responsibilities, conditions for copyright or database rights
and for personal data. The schema stores them as fields; this module turns
them, and the licence, into short sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk


def _yes(value: Any) -> bool:
    return str(value).strip().lower() in {"true", "yes", "1", "on"}


def licence_sentence(licence_id: str | None) -> str:
    """What the dataset's licence lets a re-user do."""
    sentences = {
        "cc-zero": tk._(
            "You may use the data for any purpose, including commercial use, "
            "without asking and without naming the source (public domain, CC0)."
        ),
        "cc-by": tk._(
            "You may copy, share and adapt the data for any purpose, including "
            "commercial use, as long as you name the source (licence CC BY 4.0)."
        ),
        "cc-by-sa": tk._(
            "You may copy, share and adapt the data for any purpose if you name "
            "the source and share what you make under the same licence (CC BY-SA 4.0)."
        ),
        "cc-nc": tk._(
            "You may copy, share and adapt the data for non-commercial purposes "
            "only, naming the source (licence CC BY-NC 4.0)."
        ),
    }
    if licence_id in sentences:
        return sentences[licence_id]
    return tk._("Check the licence before you re-use the data.")


def conditions(pkg: Mapping[str, Any]) -> list[str]:
    """Sentences, licence first, then each condition the steward set."""
    sentences = [licence_sentence(pkg.get("license_id"))]
    if _yes(pkg.get("bdom_condition_source")):
        sentences.append(
            tk._(
                "Name the source: {steward}, and say when the information was "
                "created and when you obtained it."
            ).format(steward=_steward_title(pkg))
        )
    if _yes(pkg.get("bdom_condition_modification")):
        sentences.append(tk._("If you process or change the data, say so where you publish them."))
    texts = (
        ("bdom_condition_responsibilities", tk._("Provider's responsibilities")),
        ("bdom_condition_db_or_copyrighted", tk._("Copyright or database rights")),
        ("bdom_condition_personal_data", tk._("Personal data")),
    )
    for field, heading in texts:
        text = (pkg.get(field) or "").strip()
        if text:
            sentences.append(f"{heading}: {text}")
    rights_licence = (pkg.get("bdom_condition_db_or_copyrighted_license") or "").strip()
    if rights_licence:
        sentences.append(
            tk._("Parts protected by copyright or database rights: licence {licence}.").format(
                licence=rights_licence
            )
        )
    if len(sentences) == 1:
        sentences.append(tk._("The steward has set no other conditions of re-use."))
    return sentences


def _steward_title(pkg: Mapping[str, Any]) -> str:
    organization = pkg.get("organization") or {}
    return organization.get("title") or organization.get("name") or tk._("the data steward")
