"""Template helpers of the collection loop. They return data, never HTML."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.bdom.collect import plan, submissions
from ckanext.bdom.workflow import transitions

TO_DELIVER_ROWS = 1000
DETECTED_LABELS = {
    "format": ("Format", "Format"),
    "encoding": ("Kodowanie znaków", "Character encoding"),
    "separator": ("Separator pól", "Field separator"),
    "decimal": ("Znak dziesiętny", "Decimal mark"),
    "thousands": ("Separator tysięcy", "Thousands separator"),
    "header_row": ("Wiersz nagłówka", "Header row"),
    "units_row": ("Wiersz jednostek", "Units row"),
    "sheet": ("Arkusz", "Sheet"),
    "columns": ("Kolumny w nagłówku", "Columns in the header"),
}
MARKS = {
    ";": ("średnik (;)", "semicolon (;)"),
    ",": ("przecinek (,)", "comma (,)"),
    ".": ("kropka (.)", "full stop (.)"),
    "\t": ("tabulator", "tab"),
    " ": ("spacja", "space"),
    "space": ("spacja", "space"),
    "nbsp": ("spacja nierozdzielająca", "non-breaking space"),
    "narrow nbsp": ("wąska spacja nierozdzielająca", "narrow non-breaking space"),
}


def _allowed(action: str, dataset_id: str) -> bool:
    return bool(tk.h.check_access(action, {"id": dataset_id}))


def bdom_collect_actions(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the current user may do in the collection loop of this dataset."""
    has_columns = plan.data_resource(pkg) is not None
    logged_in = tk.current_user.is_authenticated
    return {
        "forms": has_columns,
        "submit": has_columns and logged_in and _allowed("bdom_submission_create", pkg["id"]),
        "review": logged_in
        and _allowed("bdom_submission_review", pkg["id"])
        and submissions.pending(pkg["id"]) is not None,
        "due": pkg.get(plan.DUE) or "",
        "years": plan.format_years(plan.years_of(pkg)),
    }


def bdom_collect_to_deliver() -> list[dict[str, Any]]:
    """Planned datasets of the stewards the current user coordinates that wait
    for data (draft or returned, with a due date), the earliest due first."""
    if not tk.current_user.is_authenticated:
        return []
    context = {"user": tk.current_user.name}
    orgs = tk.get_action("organization_list_for_user")(context, {"permission": "update_dataset"})
    if not orgs:
        return []
    owners = " OR ".join(f'"{org["id"]}"' for org in orgs)
    states = f"({transitions.DRAFT} OR {transitions.RETURNED})"
    result = tk.get_action("package_search")(
        context,
        {
            "fq": f"{transitions.STATUS}:{states} AND owner_org:({owners}) AND {plan.DUE}:[* TO *]",
            "rows": TO_DELIVER_ROWS,
            "include_private": True,
            "include_drafts": True,
        },
    )
    return sorted(result["results"], key=lambda d: d.get(plan.DUE) or "")


def _in_language(pair: tuple[str, str]) -> str:
    return pair[1] if (tk.h.lang() or "pl") == "en" else pair[0]


def bdom_collect_detected(detected: dict[str, Any]) -> list[tuple[str, str]]:
    """What the validator detected, as (label, value) in the user's language."""
    shown = []
    for key, value in detected.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            text = ", ".join(str(item) for item in value)
        elif key in ("separator", "decimal", "thousands"):
            text = _in_language(MARKS.get(str(value), (str(value), str(value))))
        else:
            text = str(value)
        shown.append((_in_language(DETECTED_LABELS.get(key, (key, key))), text))
    return shown


def bdom_collect_language() -> tuple[str, str]:
    """The user's language and the other one (``pl``/``en``)."""
    return ("en", "pl") if (tk.h.lang() or "pl") == "en" else ("pl", "en")


def bdom_collect_state_label(state: str) -> str:
    return {
        submissions.PENDING: tk._("Waiting for review"),
        submissions.PUBLISHED: tk._("Published"),
        submissions.RETURNED: tk._("Returned for correction"),
        submissions.SUPERSEDED: tk._("Replaced by a newer version"),
    }.get(state, state)


def get_helpers() -> dict[str, Any]:
    return {
        name: func
        for name, func in globals().items()
        if name.startswith("bdom_collect_") and callable(func)
    }
