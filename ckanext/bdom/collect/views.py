"""Pages of the collection loop: forms to download, the submission page
with its validation report, the officer's review of the changes, and the
original files of submissions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ckanext.bdom.collect import actions, columns, forms, plan, submissions
from ckanext.bdom.lib import safe_csv
from ckanext.bdom.workflow import transitions

collect = Blueprint("bdom_collect", __name__, url_prefix="/bdom")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_TYPES = ("xlsx", "csv")
PROBLEMS_SHOWN = 500


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _dataset(id: str) -> dict[str, Any]:  # noqa: A002 - CKAN's name for dataset ids
    try:
        return tk.get_action("package_show")(_context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))


def _allowed(action: str, dataset: dict[str, Any]) -> bool:
    try:
        tk.check_access(action, _context(), {"id": dataset["id"]})
    except tk.NotAuthorized:
        return False
    return True


def _columns(dataset: dict[str, Any]) -> list[Any]:
    resource = plan.data_resource(dataset)
    return columns.columns_of(resource) if resource else []


@collect.route("/zbior/<id>/formularz.<kind>")
def form(id: str, kind: str) -> Any:  # noqa: A002
    """The collection form (XLSX or CSV) built from the column dictionary."""
    if kind not in FORM_TYPES:
        return tk.abort(404, tk._("Unknown form type"))
    dataset = _dataset(id)
    if not _allowed("bdom_collect_form", dataset):
        return tk.abort(404, tk._("Dataset not found"))
    dictionary = _columns(dataset)
    if not dictionary:
        return tk.abort(404, tk._("This dataset has no column dictionary to build a form from."))
    years = plan.years_of(dataset)
    name = f"{dataset['name']}-formularz.{kind}"
    if kind == "csv":
        return safe_csv.download(forms.csv_form(dictionary, years), name)
    title = dataset.get("title") or dataset["name"]
    content = forms.xlsx_form(dictionary, years, title, dataset.get(plan.DUE) or "")
    return Response(
        content,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _report(error: tk.ValidationError) -> dict[str, Any]:
    """What the page shows of a refused upload."""
    found = error.error_dict
    problems = list(found.get("problems") or [])
    messages = [
        str(m)
        for key, value in found.items()
        if key not in ("problems", "detected") and isinstance(value, list)
        for m in value
        if isinstance(m, str)
    ]
    return {
        "messages": messages,
        "detected": found.get("detected") or {},
        "problems": problems[:PROBLEMS_SHOWN],
        "problem_count": len(problems),
    }


def _flash_warnings(problems: list[dict[str, Any]]) -> None:
    """Warnings of an accepted file, in the user's language."""
    language = "en" if (tk.h.lang() or "pl") == "en" else "pl"
    for problem in problems[:PROBLEMS_SHOWN]:
        if problem.get("severity") == "warning":
            message = problem.get(f"message_{language}") or ""
            fix = problem.get(f"fix_{language}") or ""
            tk.h.flash_notice(f"{message} {fix}".strip())


@collect.route("/zbior/<id>/przekaz", methods=["GET", "POST"])
def submit(id: str) -> Any:  # noqa: A002
    """The coordinator uploads a filled form; problems come back as a report."""
    dataset = _dataset(id)
    if not _allowed("bdom_submission_create", dataset):
        return tk.abort(
            403, tk._("Only a coordinator of the dataset's steward may submit its data.")
        )
    report = None
    status_code = 200
    if tk.request.method == "POST":
        try:
            result = tk.get_action("bdom_submission_create")(
                _context(), {"id": dataset["id"], "upload": tk.request.files.get("upload")}
            )
        except tk.ValidationError as error:
            report = _report(error)
            status_code = 400
        else:
            tk.h.flash_success(
                tk._("The data have been submitted; the open data officer will review them.")
            )
            _flash_warnings(result["validation"].get("problems") or [])
            return tk.redirect_to("bdom_collect.submit", id=dataset["name"])
    extra = {
        "pkg": dataset,
        "report": report,
        "columns": _columns(dataset),
        "years": plan.format_years(plan.years_of(dataset)),
        "submissions": submissions.all_of(dataset["id"]),
        "status": transitions.status_of(dataset),
        "submittable": transitions.status_of(dataset) in actions.SUBMITTABLE,
    }
    return tk.render("bdom/collect/submit.html", extra), status_code


@collect.route("/zbior/<id>/przeglad")
def review(id: str) -> Any:  # noqa: A002
    """The officer's review: what the pending submission changes."""
    dataset = _dataset(id)
    if not _allowed("bdom_submission_review", dataset):
        return tk.abort(403, tk._("Only the open data officer may review submitted data."))
    pending, changes = actions.review(dataset)
    extra = {
        "pkg": dataset,
        "pending": pending,
        "diff": changes,
        "status": transitions.status_of(dataset),
    }
    return tk.render("bdom/collect/review.html", extra)


@collect.route("/zbior/<id>/przekazanie/<submission_id>/oryginal")
def original(id: str, submission_id: str) -> Any:  # noqa: A002
    """The file exactly as the steward sent it."""
    dataset = _dataset(id)
    if not _allowed("bdom_submission_show", dataset):
        return tk.abort(403, tk._("You may not see this dataset's submissions."))
    found = submissions.get(dataset["id"], submission_id)
    if found is None or not submissions.original_path(found).is_file():
        return tk.abort(404, tk._("Submission not found"))
    return send_file(
        submissions.original_path(found),
        as_attachment=True,
        download_name=found.original_name,
    )


def get_blueprints() -> list[Blueprint]:
    return [collect]
