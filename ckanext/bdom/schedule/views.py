"""The "Harmonogram aktualizacji" page and its CSV export.

The officer sees every steward's datasets, a coordinator those of the stewards
they coordinate; both filter by steward and state with a plain GET form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint

import ckan.plugins.toolkit as tk

from ckanext.bdom.lib import safe_csv, schedule
from ckanext.bdom.schedule import helpers, listing
from ckanext.bdom.workflow import roles

schedule_blueprint = Blueprint("bdom_schedule", __name__, url_prefix="/bdom")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _owner_ids(context: dict[str, Any]) -> list[str] | None:
    """None for the officer (every steward); else the user's own stewards."""
    user = roles.user_of(context)
    if roles.is_officer(user):
        return None
    orgs = tk.get_action("organization_list_for_user")(
        dict(context), {"permission": "update_dataset"}
    )
    return [org["id"] for org in orgs]


def _filters(rows: list[listing.Row]) -> tuple[dict[str, str], dict[str, str]]:
    """The chosen steward and state, and an error per filter with a bad value."""
    args = tk.request.args
    chosen = {"steward": args.get("steward", "").strip(), "state": args.get("state", "").strip()}
    errors: dict[str, str] = {}
    if chosen["state"] and chosen["state"] not in schedule.STATES:
        errors["state"] = (
            f"Nieznany stan „{chosen['state']}”; wybierz stan z listy. / "
            f"Unknown state '{chosen['state']}'; choose a state from the list."
        )
        chosen["state"] = ""
    if chosen["steward"] and chosen["steward"] not in {row.steward_name for row in rows}:
        errors["steward"] = (
            f"Gestor „{chosen['steward']}” nie ma tu zbiorów; wybierz gestora z listy. / "
            f"The steward '{chosen['steward']}' has no datasets here; "
            "choose a steward from the list."
        )
        chosen["steward"] = ""
    return chosen, errors


def _allowed_rows() -> list[listing.Row] | Any:
    context = _context()
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.request.full_path)
    try:
        tk.check_access("bdom_schedule_view", context)
    except tk.NotAuthorized:
        return tk.abort(
            403,
            tk._("Only the open data officer and the stewards' coordinators see the schedule."),
        )
    return listing.schedule_rows(context, _owner_ids(context))


@schedule_blueprint.route("/harmonogram")
def index() -> Any:
    """The schedule as a page; ``?format=csv`` gives the same list as CSV."""
    rows = _allowed_rows()
    if not isinstance(rows, list):
        return rows
    chosen, errors = _filters(rows)
    shown = listing.filtered(rows, **chosen)
    if tk.request.args.get("format") == "csv":
        return _csv(shown)
    stewards = sorted(
        {(row.steward_name, row.steward) for row in rows if row.steward_name}, key=lambda s: s[1]
    )
    counts = {state: sum(1 for row in shown if row.state == state) for state in schedule.STATES}
    return tk.render(
        "bdom/schedule/index.html",
        {
            "rows": shown,
            "stewards": stewards,
            "chosen": chosen,
            "errors": errors,
            "counts": counts,
            "csv_args": {key: value for key, value in chosen.items() if value},
        },
    )


@schedule_blueprint.route("/harmonogram.csv")
def export() -> Any:
    """The filtered schedule as CSV (UTF-8 with BOM, ``;``), for Excel."""
    rows = _allowed_rows()
    if not isinstance(rows, list):
        return rows
    chosen, _errors = _filters(rows)
    return _csv(listing.filtered(rows, **chosen))


def _csv(rows: list[listing.Row]) -> Any:
    site = str(tk.config.get("ckan.site_url") or "").rstrip("/")
    header = [
        tk._("Dataset"),
        tk._("Address"),
        tk._("Steward"),
        tk._("Update frequency"),
        tk._("Last data update"),
        tk._("Next update due"),
        tk._("State"),
    ]
    body = safe_csv.excel_csv(
        header,
        (
            [
                row.title,
                f"{site}/dataset/{row.name}",
                row.steward,
                helpers.bdom_schedule_frequency_label(row.frequency),
                row.last_update.isoformat() if row.last_update else "",
                row.due.isoformat() if row.due else "",
                helpers.bdom_schedule_state_label(row.state),
            ]
            for row in rows
        ),
    )
    return safe_csv.download(body, f"harmonogram-aktualizacji-{dt.date.today().isoformat()}.csv")


def get_blueprints() -> list[Blueprint]:
    return [schedule_blueprint]
